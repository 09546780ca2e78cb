package dev.lattice.sdk;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The env contract of a running app (API.md "What a running application gets"), read and checked
 * once: every variable is required, and a missing or malformed one is an
 * {@link IllegalStateException} whose message starts with the variable's name. Immutable.
 *
 * @param url      {@code LATTICE_URL}, the gateway's base URL, without a trailing slash
 * @param token    {@code LATTICE_TOKEN}, the instance's own token (never printed)
 * @param instance {@code LATTICE_INSTANCE}, the app instance's id
 * @param bindings {@code LATTICE_BINDINGS}, binding name to instance ids, in the given order
 * @param params   {@code LATTICE_PARAMS}, param name to value (see {@link Wire#plain})
 */
record Env(URI url, String token, String instance, Map<String, List<String>> bindings, Map<String, Object> params) {
    static final String URL = "LATTICE_URL";
    static final String TOKEN = "LATTICE_TOKEN";
    static final String INSTANCE = "LATTICE_INSTANCE";
    static final String BINDINGS = "LATTICE_BINDINGS";
    static final String PARAMS = "LATTICE_PARAMS";

    static Env parse(Map<String, String> env) {
        return new Env(url(require(env, URL)), require(env, TOKEN), require(env, INSTANCE),
                bindings(require(env, BINDINGS)), params(require(env, PARAMS)));
    }

    @Override
    public String toString() {
        return "Env[url=" + url + ", instance=" + instance + ", bindings=" + bindings + ", params=" + params + "]";
    }

    private static String require(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(name + ": is not set; the platform sets it for every app instance"
                    + " (to run an app elsewhere, set LATTICE_URL, LATTICE_TOKEN, LATTICE_INSTANCE, LATTICE_BINDINGS and LATTICE_PARAMS)");
        }
        return value.strip();
    }

    private static URI url(String text) {
        String trimmed = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
        try {
            URI uri = new URI(trimmed);
            String scheme = uri.getScheme();
            if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https")) || uri.getHost() == null
                    || uri.getQuery() != null || uri.getFragment() != null) {
                throw new IllegalStateException(URL + ": '" + text + "' is not an http(s) base URL such as http://localhost:8080");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalStateException(URL + ": '" + text + "' is not a URL (" + e.getReason() + ")");
        }
    }

    private static Map<String, List<String>> bindings(String text) {
        JsonNode root = json(BINDINGS, text);
        String shape = BINDINGS + ": expected a JSON object of binding name to a list of instance ids, like {\"machine\":[\"s-1\"]}";
        if (!root.isObject()) throw new IllegalStateException(shape + ", not " + kind(root));
        Map<String, List<String>> bindings = new LinkedHashMap<>();
        for (var entry : root.properties()) {
            JsonNode ids = entry.getValue();
            if (!ids.isArray()) throw new IllegalStateException(shape + "; '" + entry.getKey() + "' is " + kind(ids));
            List<String> list = new ArrayList<>(ids.size());
            for (JsonNode id : ids) {
                if (!id.isTextual() || id.textValue().isBlank()) {
                    throw new IllegalStateException(shape + "; '" + entry.getKey() + "' holds " + kind(id) + " where an id belongs");
                }
                list.add(id.textValue());
            }
            bindings.put(entry.getKey(), List.copyOf(list));
        }
        return Collections.unmodifiableMap(bindings);
    }

    private static Map<String, Object> params(String text) {
        JsonNode root = json(PARAMS, text);
        if (!root.isObject()) {
            throw new IllegalStateException(PARAMS + ": expected a JSON object of param name to value, like {\"quiet\":false}, not " + kind(root));
        }
        return Wire.plainObject(root);
    }

    private static JsonNode json(String name, String text) {
        try {
            return Wire.tree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(name + ": not valid JSON (" + e.getOriginalMessage() + ")", e);
        }
    }

    private static String kind(JsonNode node) {
        if (node.isNull()) return "null";
        if (node.isTextual()) return "a string";
        if (node.isNumber()) return "a number";
        if (node.isBoolean()) return "a boolean";
        if (node.isArray()) return "a list";
        return node.isObject() ? "an object" : node.getNodeType().toString().toLowerCase();
    }

    /** The ids bound to {@code binding}; an {@link IllegalArgumentException} for a name the instance has not. */
    List<String> ids(String binding) {
        List<String> ids = bindings.get(binding);
        if (ids == null) {
            throw new IllegalArgumentException("binding '" + binding + "': this instance has no such binding (it has "
                    + bindings.keySet() + "); binding names come from the app's config");
        }
        return ids;
    }

    /** The one id bound to {@code binding}; an {@link IllegalStateException} if it holds none or several. */
    String single(String binding, String kind) {
        List<String> ids = ids(binding);
        if (ids.size() != 1) {
            throw new IllegalStateException("binding '" + binding + "': holds " + ids.size() + " " + kind + " instances, not one"
                    + (ids.isEmpty() ? "" : "; use " + kind + "s(\"" + binding + "\")"));
        }
        return ids.get(0);
    }

    /** Param {@code name} as a {@code type}; an {@link IllegalStateException} naming it if it is missing or of another type. */
    <T> T typed(String name, Class<T> type, String expected) {
        Object value = params.get(name);
        if (value == null) {
            throw new IllegalStateException("LATTICE_PARAMS: this instance has no param '" + name + "' (it has "
                    + params.keySet() + "); declare it in the app's config, with a default if it is optional");
        }
        if (!type.isInstance(value)) {
            throw new IllegalStateException("LATTICE_PARAMS: param '" + name + "' is " + value + ", not " + expected);
        }
        return type.cast(value);
    }

    /** Param {@code name} as a long, if it is a whole number that fits one exactly. */
    long wholeNumber(String name) {
        Number n = typed(name, Number.class, "a whole number");
        if (n instanceof Long l) return l;
        double d = n.doubleValue();
        if (d == Math.rint(d) && Math.abs(d) < 9.007199254740992E15) return (long) d;
        throw new IllegalStateException("LATTICE_PARAMS: param '" + name + "' is " + n + ", not a whole number");
    }
}
