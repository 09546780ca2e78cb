package dev.lattice.sdk;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The SDK's JSON: one mapper, configured once and only read afterwards (which Jackson makes
 * thread-safe). Only jackson-databind is on an app's class path, so java.time values are written
 * as their ISO-8601 text by hand rather than through the JSR-310 module.
 */
final class Wire {
    static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new SimpleModule("lattice-sdk-time")
                    .addSerializer(Instant.class, ToStringSerializer.instance)
                    .addSerializer(OffsetDateTime.class, ToStringSerializer.instance)
                    .addSerializer(ZonedDateTime.class, ToStringSerializer.instance)
                    .addSerializer(LocalDateTime.class, ToStringSerializer.instance)
                    .addSerializer(LocalDate.class, ToStringSerializer.instance)
                    .addSerializer(Duration.class, ToStringSerializer.instance))
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private Wire() {}

    /** Parses JSON text (an empty text is a missing node); a malformed text is a {@link JsonProcessingException}. */
    static JsonNode tree(String json) throws JsonProcessingException {
        return MAPPER.readTree(json);
    }

    /** Writes a value as JSON bytes; something Jackson cannot write is an {@link IllegalArgumentException}. */
    static byte[] bytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + value.getClass().getName() + " as JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    /**
     * A JSON value as plain, unmodifiable Java: {@code Long} for whole numbers that fit, {@code Double}
     * for other numbers, {@code Boolean}, {@code String}, {@code null}, {@code List} and {@code Map}
     * (keeping the object's key order).
     */
    static Object plain(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) return null;
        if (node.isIntegralNumber() && node.canConvertToLong()) return node.longValue();
        if (node.isNumber()) return node.doubleValue();
        if (node.isBoolean()) return node.booleanValue();
        if (node.isTextual()) return node.textValue();
        if (node.isArray()) {
            List<Object> list = new ArrayList<>(node.size());
            node.forEach(e -> list.add(plain(e)));
            return Collections.unmodifiableList(list);
        }
        if (node.isObject()) return plainObject(node);
        return node.asText();
    }

    /** A JSON object as an unmodifiable map of {@link #plain} values, in the object's key order. */
    static Map<String, Object> plainObject(JsonNode object) {
        Map<String, Object> map = new LinkedHashMap<>();
        object.properties().forEach(e -> map.put(e.getKey(), plain(e.getValue())));
        return Collections.unmodifiableMap(map);
    }
}
