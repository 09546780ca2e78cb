package dev.lattice.api.models.contract;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.lattice.core.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reading a contract from YAML or JSON, strictly (unknown keys and wrong types are mistakes the
 * message places), and writing its normalised JSON. The mappers are configured once and only
 * read afterwards, which Jackson makes thread-safe.
 */
final class ContractJson {
    private static final ObjectMapper JSON = Json.MAPPER.copy().enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
    private static final ObjectMapper YAML = YAMLMapper.builder().enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY).build();

    private ContractJson() {}

    static Contract read(String text) {
        Contract contract = build(tree(text));
        int normalised = write(contract).length();
        if (normalised > Contract.MAX_BYTES) {
            throw Contract.invalid("its normalised JSON is " + normalised + " characters, more than the limit of " + Contract.MAX_BYTES);
        }
        return contract;
    }

    static String write(Contract contract) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        Preprocess pre = contract.preprocess();
        ObjectNode p = root.putObject("preprocess");
        if (pre.input() != null) p.put("input", pre.input());
        pre.fields().forEach(p.putArray("fields")::add);
        if (!pre.encode().isEmpty()) {
            ObjectNode encode = p.putObject("encode");
            pre.encode().forEach((field, codes) -> codes.forEach(encode.putObject(field)::put));
        }
        if (!pre.impute().isEmpty()) pre.impute().forEach(p.putObject("impute")::put);
        if (!pre.scale().isEmpty()) {
            ObjectNode scale = p.putObject("scale");
            pre.scale().forEach((field, s) -> scale.putObject(field).put("mean", s.mean()).put("std", s.std()));
        }
        Postprocess post = contract.postprocess();
        ObjectNode q = root.putObject("postprocess");
        if (post.output() != null) q.put("output", post.output());
        if (post.softmax()) q.put("softmax", true);
        if (post.labels() != null) post.labels().forEach(q.putArray("labels")::add);
        if (post.probabilities()) q.put("probabilities", true);
        if (post.threshold() != null) {
            ObjectNode t = q.putObject("threshold").put("value", post.threshold().value());
            post.threshold().labels().forEach(t.putArray("labels")::add);
        }
        return Json.string(root);
    }

    /** JSON when it looks like JSON and reads as JSON (YAML 1.1 is not quite a superset), else YAML. */
    private static JsonNode tree(String text) {
        if (text == null || text.isBlank()) throw Contract.invalid("is empty");
        int bytes = text.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > Contract.MAX_BYTES) {
            throw Contract.invalid("is " + bytes + " bytes, more than the limit of " + Contract.MAX_BYTES + " (32 KiB)");
        }
        String stripped = text.strip();
        if (stripped.startsWith("{")) {
            try {
                return JSON.readTree(stripped);
            } catch (JsonProcessingException json) {
                try {
                    return YAML.readTree(stripped);
                } catch (JsonProcessingException yaml) {
                    throw unreadable("JSON", json);
                }
            }
        }
        try {
            return YAML.readTree(stripped);
        } catch (JsonProcessingException e) {
            throw unreadable("YAML", e);
        }
    }

    private static RuntimeException unreadable(String format, JsonProcessingException e) {
        String message = e.getOriginalMessage() == null ? "unreadable" : e.getOriginalMessage();
        // SnakeYAML's first line is only the context ("while parsing a flow mapping"); the problem follows.
        if (e.getCause() instanceof MarkedYAMLException yaml && yaml.getProblem() != null) {
            message = (yaml.getContext() == null ? "" : yaml.getContext() + ": ") + yaml.getProblem();
        }
        // Jackson's advice to programmers ("for `ObjectNode`: not allowed when ... enabled") is no help here.
        for (String cut : new String[] {"\n", " for `"}) {
            int at = message.indexOf(cut);
            if (at > 0) message = message.substring(0, at);
        }
        JsonLocation at = e.getLocation();
        String where = at == null || at.getLineNr() < 1 ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
        return Contract.invalid("not valid " + format + ": " + message.strip() + where);
    }

    private static Contract build(JsonNode root) {
        if (root == null || !root.isObject()) throw Contract.invalid("must be a mapping with preprocess and postprocess");
        known(root, "", Set.of("preprocess", "postprocess"));
        JsonNode pre = present(root, "preprocess");
        if (pre == null) throw Contract.invalid("preprocess is required");
        JsonNode post = present(root, "postprocess");
        return new Contract(preprocess(object(pre, "preprocess")), post == null ? null : postprocess(object(post, "postprocess")));
    }

    private static Preprocess preprocess(JsonNode node) {
        known(node, "preprocess", Set.of("input", "fields", "encode", "impute", "scale"));
        JsonNode fields = present(node, "fields");
        if (fields == null) throw Contract.invalid("preprocess.fields is required");
        Map<String, Map<String, Double>> encode = new LinkedHashMap<>();
        JsonNode e = present(node, "encode");
        if (e != null) object(e, "preprocess.encode").properties().forEach(f -> encode.put(f.getKey(), codes(f.getValue(), f.getKey())));
        Map<String, Double> impute = new LinkedHashMap<>();
        JsonNode i = present(node, "impute");
        if (i != null) object(i, "preprocess.impute").properties().forEach(f -> impute.put(f.getKey(), imputed(f.getValue(), f.getKey(), encode)));
        Map<String, Scale> scale = new LinkedHashMap<>();
        JsonNode s = present(node, "scale");
        if (s != null) object(s, "preprocess.scale").properties().forEach(f -> scale.put(f.getKey(), scale(f.getValue(), "preprocess.scale." + f.getKey())));
        return new Preprocess(text(node, "input", "preprocess.input"), texts(fields, "preprocess.fields"), encode, impute, scale);
    }

    private static Map<String, Double> codes(JsonNode node, String field) {
        String at = "preprocess.encode." + field;
        Map<String, Double> codes = new LinkedHashMap<>();
        object(node, at).properties().forEach(c -> codes.put(c.getKey(), number(c.getValue(), at + "." + c.getKey())));
        return codes;
    }

    /** A number, or for an encoded field one of its values (so {@code sex: male} may be written). */
    private static Double imputed(JsonNode node, String field, Map<String, Map<String, Double>> encode) {
        Map<String, Double> codes = encode.get(field);
        if (node.isTextual() && codes != null && codes.containsKey(node.asText())) return codes.get(node.asText());
        if (node.isNumber()) return node.doubleValue();
        String wanted = codes == null ? "a number" : "a number or one of " + codes.keySet();
        throw Contract.invalid("preprocess.impute." + field + " must be " + wanted + ", not " + shown(node));
    }

    private static Scale scale(JsonNode node, String at) {
        known(object(node, at), at, Set.of("mean", "std"));
        JsonNode mean = present(node, "mean");
        JsonNode std = present(node, "std");
        if (mean == null || std == null) throw Contract.invalid(at + " needs both mean and std");
        return new Scale(number(mean, at + ".mean"), number(std, at + ".std"));
    }

    private static Postprocess postprocess(JsonNode node) {
        known(node, "postprocess", Set.of("output", "softmax", "labels", "probabilities", "threshold"));
        JsonNode labels = present(node, "labels");
        JsonNode threshold = present(node, "threshold");
        return new Postprocess(text(node, "output", "postprocess.output"),
                bool(node, "softmax", "postprocess.softmax"),
                labels == null ? null : texts(labels, "postprocess.labels"),
                bool(node, "probabilities", "postprocess.probabilities"),
                threshold == null ? null : threshold(object(threshold, "postprocess.threshold")));
    }

    private static Threshold threshold(JsonNode node) {
        known(node, "postprocess.threshold", Set.of("value", "labels"));
        JsonNode value = present(node, "value");
        JsonNode labels = present(node, "labels");
        if (value == null || labels == null) throw Contract.invalid("postprocess.threshold needs both value and labels");
        return new Threshold(number(value, "postprocess.threshold.value"), texts(labels, "postprocess.threshold.labels"));
    }

    private static void known(JsonNode node, String at, Set<String> keys) {
        node.fieldNames().forEachRemaining(key -> {
            if (!keys.contains(key)) {
                String path = at.isEmpty() ? key : at + "." + key;
                throw Contract.invalid(path + " is not a known key (known: " + keys.stream().sorted().toList() + ")");
            }
        });
    }

    private static JsonNode object(JsonNode node, String at) {
        if (!node.isObject()) throw Contract.invalid(at + " must be a mapping, not " + shown(node));
        return node;
    }

    /** The value under the key; an explicit null counts as left out, as an empty YAML key reads. */
    private static JsonNode present(JsonNode node, String key) {
        JsonNode value = node.get(key);
        return value == null || value.isNull() ? null : value;
    }

    private static String text(JsonNode node, String key, String at) {
        JsonNode value = present(node, key);
        if (value == null) return null;
        if (!value.isTextual()) throw Contract.invalid(at + " must be a string, not " + shown(value));
        return value.asText();
    }

    private static List<String> texts(JsonNode node, String at) {
        if (!node.isArray()) throw Contract.invalid(at + " must be a list of names, not " + shown(node));
        List<String> texts = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            JsonNode item = node.get(i);
            if (!item.isTextual()) {
                String hint = item.isValueNode() && !item.isNull() ? " (quote it: \"" + item.asText() + "\")" : "";
                throw Contract.invalid(at + "[" + i + "] must be a string, not " + shown(item) + hint);
            }
            texts.add(item.asText());
        }
        return texts;
    }

    private static double number(JsonNode node, String at) {
        if (!node.isNumber()) throw Contract.invalid(at + " must be a number, not " + shown(node));
        double value = node.doubleValue();
        if (!Double.isFinite(value)) throw Contract.invalid(at + " must be a finite number");
        return value;
    }

    private static boolean bool(JsonNode node, String key, String at) {
        JsonNode value = present(node, key);
        if (value == null) return false;
        if (!value.isBoolean()) throw Contract.invalid(at + " must be true or false, not " + shown(value));
        return value.booleanValue();
    }

    private static String shown(JsonNode node) {
        if (node.isObject()) return "a mapping";
        if (node.isArray()) return "a list";
        if (node.isNull()) return "null";
        return node.isTextual() ? "\"" + node.asText() + "\"" : node.asText();
    }
}
