package dev.lattice.api.apps;

/**
 * One slot of an app for sensor or controller instances: its name (a key of
 * {@code LATTICE_BINDINGS}), the type its instances must have, and how many an instance of the
 * app may be given ({@code min..max}, default 1..1). Immutable.
 *
 * @throws dev.lattice.core.LatticeException 400 naming the field ({@code max: ...}) on a bad value
 */
public record Binding(String name, String type, int min, int max) {
    /** More devices than this in one slot is a mistake, not a fleet: fleets are several instances. */
    public static final int MAX_COUNT = 100;

    public Binding {
        Keys.requireKey("name", name);
        Keys.requireName("type", type);
        if (min < 0) throw Located.bad("min", "min: at least 0, not " + min);
        if (max > MAX_COUNT) throw Located.bad("max", "max: at most " + MAX_COUNT + ", not " + max);
        if (max < min) throw Located.bad("max", "max: " + max + " is less than min " + min);
        if (max == 0) throw Located.bad("max", "max: at least 1, a binding of no instances binds nothing");
    }

    /** A binding of exactly one instance, the default. */
    public static Binding one(String name, String type) {
        return new Binding(name, type, 1, 1);
    }
}
