package dev.lattice.api.apps;

import dev.lattice.core.LatticeException;
import dev.lattice.core.Names;
import java.util.regex.Pattern;

/** The two kinds of names a config holds: object names (apps, types, models) and keys read by code (bindings, params). */
final class Keys {
    /**
     * Binding and param names are keys of {@code LATTICE_BINDINGS} and {@code LATTICE_PARAMS}, read
     * by the app's code, so they may be written the way code names things ({@code maxTemp}, {@code max_temp}).
     */
    private static final Pattern KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]{0,62}");

    private Keys() {}

    /** {@code field: ...} when the key is missing or malformed. */
    static String requireKey(String field, String value) {
        if (value == null || value.isBlank()) throw Located.bad(field, field + ": is required");
        if (!KEY.matcher(value).matches())
            throw Located.bad(field, field + ": '" + value + "' must match [A-Za-z_][A-Za-z0-9_-]{0,62}");
        return value;
    }

    /** {@link Names#requireName}, with the apps code instead of the core one. */
    static String requireName(String field, String value) {
        try {
            return Names.requireName(field, value);
        } catch (LatticeException e) {
            throw Located.bad(field, e.getMessage());
        }
    }
}
