package dev.lattice.api.models.contract;

/**
 * Standardisation of one field, {@code (x - mean) / std}, as the model was trained on it.
 * Checked by {@link Preprocess}, which knows the field's name for the message.
 *
 * @param mean subtracted first
 * @param std  divided by; never 0
 */
public record Scale(double mean, double std) {
    double apply(double x) {
        return (x - mean) / std;
    }
}
