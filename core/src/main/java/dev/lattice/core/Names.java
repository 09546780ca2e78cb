package dev.lattice.core;

import java.util.regex.Pattern;

/** Validation of the names and user names that API.md constrains. */
public final class Names {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");

    private Names() {}

    /** Checks an object name ({@code [a-z0-9][a-z0-9-]{0,62}}); the 400 names {@code field}. */
    public static String requireName(String field, String value) {
        requirePresent(field, value);
        if (!NAME.matcher(value).matches()) {
            throw LatticeException.badRequest("core:name.invalid",
                    field + ": '" + value + "' must match [a-z0-9][a-z0-9-]{0,62}");
        }
        return value;
    }

    /** User names are a little freer than object names: dots, underscores, {@code @} and capitals. */
    public static String requireUsername(String field, String value) {
        requirePresent(field, value);
        if (!USERNAME.matcher(value).matches()) {
            throw LatticeException.badRequest("core:username.invalid",
                    field + ": '" + value + "' must be 1-64 letters, digits, '.', '_', '@' or '-', starting with a letter or digit");
        }
        return value;
    }

    public static <T> T requirePresent(String field, T value) {
        if (value == null || (value instanceof String s && s.isBlank())) {
            throw LatticeException.badRequest("core:field.missing", field + ": is required");
        }
        return value;
    }
}
