package dev.lattice.api.sensors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lattice.core.Json;
import dev.lattice.core.LatticeException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Checks readings and command parameters against their type, wherever they enter (HTTP at the
 * gateway, MQTT in the sensors service): every field present with a value of its type, nothing
 * else but an optional {@code ts}. The 400 names the offending field; nothing of a rejected
 * batch is stored.
 */
public final class ReadingValidator {
    /** Most readings accepted in one HTTP request. */
    public static final int MAX_BATCH = 1000;
    /** How far ahead of the platform's clock a device's own {@code ts} may be (clock skew, time zones done wrong). */
    public static final java.time.Duration MAX_AHEAD = java.time.Duration.ofDays(1);

    private ReadingValidator() {}

    /** One JSON object, or an array of them, into readings stamped {@code now} unless they carry {@code ts}. */
    public static List<Reading> readings(SensorType type, String instance, JsonNode body, Instant now) {
        List<Reading> out = new ArrayList<>();
        if (body != null && body.isArray()) {
            if (body.isEmpty()) throw LatticeException.badRequest("sensors:reading.empty", "body: the array holds no reading");
            if (body.size() > MAX_BATCH) throw LatticeException.badRequest("sensors:reading.batch", "body: at most " + MAX_BATCH + " readings at once");
            for (int i = 0; i < body.size(); i++) out.add(reading(type, instance, body.get(i), now, "[" + i + "]."));
        } else {
            out.add(reading(type, instance, body, now, ""));
        }
        return out;
    }

    private static Reading reading(SensorType type, String instance, JsonNode node, Instant now, String prefix) {
        if (node == null || !node.isObject()) {
            throw LatticeException.badRequest("sensors:reading.shape", (prefix.isEmpty() ? "body" : prefix.substring(0, prefix.length() - 1))
                    + ": a reading is a JSON object of the type's fields");
        }
        Instant ts = now;
        JsonNode tsNode = node.get("ts");
        if (tsNode != null && !tsNode.isNull()) {
            try {
                ts = Timestamps.parse(tsNode.asText());
            } catch (DateTimeParseException e) {
                throw LatticeException.badRequest("sensors:reading.ts", prefix + "ts: '" + tsNode.asText() + "' is not an ISO-8601 time");
            }
        }
        if (ts.isBefore(Instant.EPOCH) || ts.isAfter(now.plus(MAX_AHEAD))) {
            throw LatticeException.badRequest("sensors:reading.ts", prefix + "ts: '" + tsNode.asText()
                    + "' must be after 1970 and at most a day ahead of the platform's clock");
        }
        return new Reading(instance, ts, values(type, node, prefix.isEmpty() ? "" : prefix.substring(0, prefix.length() - 1)));
    }

    /** The fields of one reading, checked; {@code where} prefixes field names in the 400. */
    public static ObjectNode values(SensorType type, JsonNode node, String where) {
        String p = where == null || where.isEmpty() ? "" : where + ".";
        if (node == null || !node.isObject()) throw LatticeException.badRequest("sensors:reading.shape", (p.isEmpty() ? "body" : where) + ": must be a JSON object");
        ObjectNode values = Json.MAPPER.createObjectNode();
        for (FieldSpec f : type.fields()) {
            JsonNode v = node.get(f.name());
            if (v == null || v.isNull()) {
                throw LatticeException.badRequest("sensors:reading.missing", p + f.name() + ": is required by sensor type '" + type.name() + "'");
            }
            if (!f.type().accepts(v)) {
                throw LatticeException.badRequest("sensors:reading.type", p + f.name() + ": expected " + f.type().expected());
            }
            values.set(f.name(), v);
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!name.equals("ts") && type.field(name).isEmpty()) {
                throw LatticeException.badRequest("sensors:reading.unknown", p + name + ": sensor type '" + type.name() + "' has no such field");
            }
        }
        return values;
    }

    /** A command's parameters, checked against its spec: all declared present and typed, nothing else. */
    public static ObjectNode params(CommandSpec spec, JsonNode params) {
        ObjectNode checked = Json.MAPPER.createObjectNode();
        JsonNode given = params == null || params.isNull() ? Json.MAPPER.createObjectNode() : params;
        if (!given.isObject()) throw LatticeException.badRequest("sensors:params.shape", "params: must be a JSON object");
        for (FieldSpec f : spec.params()) {
            JsonNode v = given.get(f.name());
            if (v == null || v.isNull()) throw LatticeException.badRequest("sensors:params.missing", "params." + f.name() + ": is required by command '" + spec.name() + "'");
            if (!f.type().accepts(v)) throw LatticeException.badRequest("sensors:params.type", "params." + f.name() + ": expected " + f.type().expected());
            checked.set(f.name(), v);
        }
        for (Iterator<String> it = given.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (spec.params().stream().noneMatch(f -> f.name().equals(name))) {
                throw LatticeException.badRequest("sensors:params.unknown", "params." + name + ": command '" + spec.name() + "' has no such parameter");
            }
        }
        return checked;
    }
}
