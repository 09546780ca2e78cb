package dev.lattice.api.apps;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A setting the end user may give per instance (a key of {@code LATTICE_PARAMS}), its type and
 * optionally the value used when they give none. Immutable; the default is held in its type's
 * one Java form ({@link ParamType#accept}), so {@code 3} for a number is {@code 3.0}.
 *
 * @throws dev.lattice.core.LatticeException 400 naming the field ({@code default: ...}) on a bad value
 */
public record Param(String name, ParamType type, @JsonProperty("default") Object defaultValue) {
    public Param {
        Keys.requireKey("name", name);
        if (type == null) throw Located.bad("type", "type: is required (string, number, integer or boolean)");
        if (defaultValue != null) {
            Object typed = type.accept(defaultValue);
            if (typed == null) throw Located.bad("default", "default: " + shown(defaultValue) + " is not " + article(type));
            defaultValue = typed;
        }
    }

    private static String shown(Object value) {
        return value instanceof String s ? "'" + s + "'" : String.valueOf(value);
    }

    private static String article(ParamType type) {
        return (type == ParamType.INTEGER ? "an " : "a ") + type.json();
    }
}
