package dev.lattice.api.apps;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Locale;

/** The types a param may have, as JSON knows them; each turns a value into its one Java form. */
public enum ParamType {
    STRING, NUMBER, INTEGER, BOOLEAN;

    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** {@code type: ...} (400) for anything but the four names. */
    @JsonCreator
    public static ParamType of(String text) {
        for (ParamType t : values()) if (t.json().equals(text)) return t;
        throw Located.bad("type", "type: one of string, number, integer, boolean, not '" + text + "'");
    }

    /**
     * The value as this type holds it ({@code String}, {@code Double}, {@code Long}, {@code Boolean}),
     * or {@code null} when it is not of this type; an integer is a whole number that fits a long.
     */
    public Object accept(Object value) {
        return switch (this) {
            case STRING -> value instanceof String ? value : null;
            case BOOLEAN -> value instanceof Boolean ? value : null;
            case NUMBER -> value instanceof Number n && Double.isFinite(n.doubleValue()) ? n.doubleValue() : null;
            case INTEGER -> wholeNumber(value);
        };
    }

    private static Long wholeNumber(Object value) {
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte)
            return ((Number) value).longValue();
        if (value instanceof BigInteger b && b.bitLength() < 64) return b.longValue();
        if (value instanceof BigDecimal d && d.scale() <= 0 && d.toBigInteger().bitLength() < 64) return d.longValueExact();
        return null;
    }
}
