package dev.lattice.api.sensors;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import dev.lattice.core.Json;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * A body of readings (one JSON object or an array of them) checked against the sensor type and
 * turned straight into the records {@code lattice.readings} holds, one pass over the bytes with
 * Jackson's streaming parser: no tree of the body, none of the values, no string in between.
 * This is the ingestion path's per-reading work (HTTP at the gateway, MQTT in the sensors
 * service), and the tree took a third of it (JFR, PERFORMANCE.md issue 13).
 *
 * <p>{@link ReadingValidator#readings} stays the definition of what is accepted and of every
 * refusal's wording: this fast path only ever accepts what it accepts, writing the same JSON; at
 * the first thing it does not take as plainly valid (a refusal, a duplicate key, malformed JSON,
 * an unexpected shape) it gives up and the body goes through {@link ReadingValidator#readings},
 * which refuses it with its exact 400 (or, should the two ever disagree, accepts it there).
 */
public final class ReadingRecords {
    private ReadingRecords() {}

    /** The topic records of {@code body}'s readings (keyed by {@code instance}), or a 400 {@code LatticeException}. */
    public static List<byte[]> of(SensorType type, String instance, byte[] body, Instant now) {
        List<byte[]> fast = fast(type, instance, body, now);
        if (fast != null) return fast;
        List<Reading> checked = ReadingValidator.readings(type, instance, Json.parse(body, JsonNode.class), now);
        List<byte[]> out = new ArrayList<>(checked.size());
        for (Reading r : checked) out.add(r.toJson());
        return out;
    }

    /** Null wherever the slow path must decide. */
    static List<byte[]> fast(SensorType type, String instance, byte[] body, Instant now) {
        try (JsonParser p = Json.MAPPER.getFactory().createParser(body)) {
            List<byte[]> out = new ArrayList<>();
            JsonToken first = p.nextToken();
            if (first == JsonToken.START_ARRAY) {
                for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                    if (t != JsonToken.START_OBJECT || out.size() == ReadingValidator.MAX_BATCH) return null;
                    byte[] record = reading(p, type, instance, now);
                    if (record == null) return null;
                    out.add(record);
                }
                if (out.isEmpty()) return null;
            } else if (first == JsonToken.START_OBJECT) {
                byte[] record = reading(p, type, instance, now);
                if (record == null) return null;
                out.add(record);
            } else {
                return null;
            }
            return p.nextToken() == null ? out : null; // trailing tokens: the slow path says what is wrong
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** One reading from its START_OBJECT to its END_OBJECT, as its topic record; null if not plainly valid. */
    private static byte[] reading(JsonParser p, SensorType type, String instance, Instant now) throws IOException {
        List<FieldSpec> fields = type.fields();
        Object[] values = new Object[fields.size()];
        Instant ts = now;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            if (name.equals("ts")) {
                if (v == JsonToken.VALUE_NULL) continue;
                if (v != JsonToken.VALUE_STRING) return null;
                try {
                    ts = Timestamps.parse(p.getText());
                } catch (DateTimeParseException e) {
                    return null;
                }
                continue;
            }
            int i = indexOf(fields, name);
            if (i < 0) return null;
            Object value = value(p, v, fields.get(i).type());
            if (value == null) return null;
            values[i] = value;
        }
        if (ts.isBefore(Instant.EPOCH) || ts.isAfter(now.plus(ReadingValidator.MAX_AHEAD))) return null;
        for (Object value : values) {
            if (value == null) return null; // missing
        }
        return write(instance, ts, fields, values);
    }

    private static int indexOf(List<FieldSpec> fields, String name) {
        for (int i = 0; i < fields.size(); i++) {
            if (fields.get(i).name().equals(name)) return i;
        }
        return -1;
    }

    /**
     * The current value if it is of {@code type} (the same test as {@link FieldType#accepts}), as
     * the tree would hold it: Integer, Long, BigInteger, Double, Boolean or String; null if not.
     */
    private static Object value(JsonParser p, JsonToken v, FieldType type) throws IOException {
        return switch (v) {
            case VALUE_NUMBER_INT -> switch (type) {
                case INTEGER -> integral(p);
                // As a number it must also be finite as a double: a 400-digit integer is not.
                case NUMBER -> p.getNumberType() != JsonParser.NumberType.BIG_INTEGER
                        || Double.isFinite(p.getBigIntegerValue().doubleValue()) ? integral(p) : null;
                default -> null;
            };
            case VALUE_NUMBER_FLOAT -> {
                double d = p.getDoubleValue();
                boolean ok = switch (type) {
                    case NUMBER -> Double.isFinite(d);
                    case INTEGER -> d == Math.rint(d) && Math.abs(d) < 9.007199254740992E15;
                    default -> false;
                };
                yield ok ? d : null;
            }
            case VALUE_TRUE, VALUE_FALSE -> type == FieldType.BOOLEAN ? v == JsonToken.VALUE_TRUE : null;
            case VALUE_STRING -> {
                String s = p.getText();
                yield type == FieldType.STRING && s.length() <= FieldType.MAX_STRING ? s : null;
            }
            default -> null; // null (missing), an object or an array: never a field's value
        };
    }

    private static Object integral(JsonParser p) throws IOException {
        return switch (p.getNumberType()) {
            case INT -> p.getIntValue();
            case LONG -> p.getLongValue();
            default -> p.getBigIntegerValue();
        };
    }

    /** The record as {@link Reading#toJson} writes it, values in the type's order. */
    private static byte[] write(String instance, Instant ts, List<FieldSpec> fields, Object[] values) throws IOException {
        ByteArrayBuilder out = new ByteArrayBuilder(64 + 24 * values.length);
        try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("instance", instance);
            g.writeStringField("ts", ts.toString());
            g.writeObjectFieldStart("values");
            for (int i = 0; i < values.length; i++) {
                g.writeFieldName(fields.get(i).name());
                switch (values[i]) {
                    case Integer n -> g.writeNumber(n);
                    case Long n -> g.writeNumber(n);
                    case BigInteger n -> g.writeNumber(n);
                    case Double n -> g.writeNumber(n);
                    case Boolean b -> g.writeBoolean(b);
                    case String s -> g.writeString(s);
                    default -> throw new IllegalStateException("unexpected value " + values[i]);
                }
            }
            g.writeEndObject();
            g.writeEndObject();
        }
        return out.toByteArray();
    }
}
