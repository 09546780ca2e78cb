package dev.lattice.api.models.contract;

/**
 * A request turned into model rows, and whether it came as one object (answer one object) or as
 * an array (answer an array in the same order).
 *
 * <p>The array is shared, not copied, because it is made per request and read once; that also
 * means {@code equals} compares it by identity.
 *
 * @param values one row per request object, each as wide as the contract's {@code fields}
 * @param single true when the request was one object rather than an array
 */
public record Rows(double[][] values, boolean single) {
    public int count() {
        return values.length;
    }
}
