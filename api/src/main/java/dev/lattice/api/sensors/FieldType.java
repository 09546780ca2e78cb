package dev.lattice.api.sensors;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import dev.lattice.core.LatticeException;

/** The value types a sensor field or a command parameter may have. */
public enum FieldType {
    NUMBER, INTEGER, BOOLEAN, STRING;

    /** Longest string value accepted in a reading or a command parameter. */
    public static final int MAX_STRING = 1024;

    @JsonValue
    public String wireName() {
        return name().toLowerCase();
    }

    @JsonCreator
    public static FieldType parse(String value) {
        for (FieldType t : values()) {
            if (t.wireName().equals(value)) return t;
        }
        throw LatticeException.badRequest("sensors:field-type.unknown",
                "type: '" + value + "' is not one of number, integer, boolean, string");
    }

    /** True if {@code value} is a JSON value of this type. */
    public boolean accepts(JsonNode value) {
        return switch (this) {
            case NUMBER -> value.isNumber() && Double.isFinite(value.asDouble());
            case INTEGER -> value.isIntegralNumber() || (value.isNumber() && value.asDouble() == Math.rint(value.asDouble())
                    && Math.abs(value.asDouble()) < 9.007199254740992E15);
            case BOOLEAN -> value.isBoolean();
            case STRING -> value.isTextual() && value.asText().length() <= MAX_STRING;
        };
    }

    public String expected() {
        return switch (this) {
            case NUMBER -> "a number";
            case INTEGER -> "a whole number";
            case BOOLEAN -> "true or false";
            case STRING -> "a string of at most " + MAX_STRING + " characters";
        };
    }
}
