package dev.lattice.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One reading of a sensor instance: when it was taken and its values by field name, as the
 * gateway lists and streams them ({@code {"ts","values"}}), plus the id of the sensor it came
 * from. Values are plain Java — {@code Long} for whole numbers, {@code Double} for other numbers,
 * {@code Boolean}, {@code String} — in an unmodifiable map that keeps the type's field order, so
 * a reading (or its {@code values()}) can be put in an output as it is. Immutable.
 *
 * @param sensorId the sensor instance's id
 * @param ts       when it was taken (the device's time, else when the platform accepted it)
 * @param values   field name to value; a field the reading did not carry is absent
 */
public record Reading(String sensorId, Instant ts, Map<String, Object> values) {
    public Reading {
        if (sensorId == null || ts == null || values == null) throw new NullPointerException("sensorId, ts and values are required");
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** The value of {@code field}, or null if the reading does not carry it. */
    public Object value(String field) {
        return values.get(field);
    }

    /**
     * The value of a number field as a double.
     *
     * @throws IllegalArgumentException if the reading does not carry {@code field} or it is not a number
     */
    public double number(String field) {
        Object value = values.get(field);
        if (value instanceof Number n) return n.doubleValue();
        throw new IllegalArgumentException("reading of " + sensorId + " at " + ts + ": field '" + field + "' is "
                + (value == null ? "missing" : "not a number but " + value.getClass().getSimpleName() + " " + value)
                + "; it has " + values.keySet());
    }

    /** True if the reading carries a number for {@code field}. */
    public boolean hasNumber(String field) {
        return values.get(field) instanceof Number;
    }

    /** A reading as the gateway writes it: {@code {"ts":"...","values":{...}}}. */
    static Reading fromJson(String sensorId, JsonNode json) {
        JsonNode ts = json == null ? null : json.get("ts");
        JsonNode values = json == null ? null : json.get("values");
        if (ts == null || !ts.isTextual() || values == null || !values.isObject()) {
            throw new IllegalArgumentException("not a reading ({\"ts\",\"values\"}): " + json);
        }
        try {
            return new Reading(sensorId, Instant.parse(ts.textValue()), Wire.plainObject(values));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not a reading: ts '" + ts.textValue() + "' is not an ISO-8601 instant", e);
        }
    }
}
