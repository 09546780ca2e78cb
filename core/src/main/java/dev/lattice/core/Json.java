package dev.lattice.core;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The JSON mapping used everywhere (HTTP bodies, Kafka values): ISO-8601 times, nulls left out,
 * unknown fields ignored so that older readers accept newer writers.
 *
 * <p>The mapper is configured once and only read afterwards, which Jackson makes thread-safe.
 */
public final class Json {
    public static final ObjectMapper MAPPER = configure(new ObjectMapper());

    private Json() {}

    private static ObjectMapper configure(ObjectMapper mapper) {
        mapper.registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .setSerializationInclusion(JsonInclude.Include.NON_NULL);
        // A number or boolean where a string is wanted is a mistake to report, not to paper over.
        var text = mapper.coercionConfigFor(LogicalType.Textual);
        text.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
        text.setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
        text.setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        return mapper;
    }

    public static byte[] bytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    public static String string(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    public static JsonNode tree(Object value) {
        return MAPPER.valueToTree(value);
    }

    /** Reads trusted JSON (our own topics); a failure is a bug or a corrupt record, not bad user input. */
    public static <T> T read(byte[] json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + type.getSimpleName() + " from JSON", e);
        }
    }

    /**
     * Reads untrusted JSON (a request body): malformed JSON or a field of the wrong type is a 400
     * whose message names the field; a {@link LatticeException} thrown by a record's validation
     * passes through unchanged.
     */
    public static <T> T parse(byte[] json, Class<T> type) {
        try {
            T value = MAPPER.readValue(json, type);
            if (value == null) throw LatticeException.badRequest("core:body.missing", "body: a JSON object is required");
            return value;
        } catch (com.fasterxml.jackson.databind.JsonMappingException e) {
            if (e.getCause() instanceof LatticeException le) throw located(le, e);
            throw LatticeException.badRequest("core:body.invalid", describe(e));
        } catch (JsonProcessingException e) {
            throw LatticeException.badRequest("core:body.malformed", "body: malformed JSON: " + plain(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static <T> T convert(JsonNode node, Class<T> type) {
        return parse(bytes(node), type);
    }

    /**
     * A record nested in the body (say {@code fields[1]}) checks itself and names its own field
     * ({@code name: ...}); the path Jackson knows makes that {@code fields[1].name: ...}.
     */
    private static LatticeException located(LatticeException le, com.fasterxml.jackson.databind.JsonMappingException e) {
        java.util.List<String> segments = new java.util.ArrayList<>();
        for (var ref : e.getPath()) {
            if (ref.getFieldName() != null) segments.add(ref.getFieldName());
            else if (ref.getIndex() >= 0) segments.add("[" + ref.getIndex() + "]");
        }
        // A value that names its own field (an enum: "role: ...", a record: "location.lat: ...")
        // already carries the last step of the path.
        String msg = le.getMessage() == null ? "" : le.getMessage();
        if (!segments.isEmpty()) {
            String last = segments.get(segments.size() - 1);
            if (msg.startsWith(last + ":") || msg.startsWith(last + ".") || msg.startsWith(last + "[")) segments.remove(segments.size() - 1);
        }
        if (segments.isEmpty()) return le;
        String prefix = String.join(".", segments).replace(".[", "[");
        return new LatticeException(le.code(), le.status(), prefix + "." + le.getMessage());
    }

    /** Jackson's message without its advice to Java programmers (feature names, class names). */
    private static String plain(String message) {
        if (message == null) return "unreadable";
        int cut = message.length();
        for (String marker : new String[] {"\n", " (", "; ", " at [Source"}) {
            int i = message.indexOf(marker);
            if (i > 0) cut = Math.min(cut, i);
        }
        return message.substring(0, cut);
    }

    private static String describe(com.fasterxml.jackson.databind.JsonMappingException e) {
        String field = fieldPath(e);
        if (e instanceof com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException) return field + ": is not a known field";
        if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            return field + ": expected " + describeType(mismatch.getTargetType(), field.equals("body"));
        }
        return field + ": " + e.getOriginalMessage();
    }

    private static String describeType(Class<?> type, boolean root) {
        if (root) return "a JSON object";
        if (type == String.class || type.isEnum()) return "a string";
        if (type == Boolean.class || type == boolean.class) return "true or false";
        if (Number.class.isAssignableFrom(type) || (type.isPrimitive() && type != boolean.class)) return "a number";
        if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) return "an array";
        return "an object";
    }

    private static String fieldPath(com.fasterxml.jackson.databind.JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (var ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!path.isEmpty()) path.append('.');
                path.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? "body" : path.toString();
    }
}
