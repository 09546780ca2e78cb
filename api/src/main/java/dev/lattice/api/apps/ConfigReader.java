package dev.lattice.api.apps;

import static dev.lattice.api.apps.Located.at;
import static dev.lattice.api.apps.Located.bad;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.lattice.api.scheduler.Schedule;
import dev.lattice.core.LatticeException;
import dev.lattice.workloads.Resources;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;

/**
 * Turns a config file's tree into an {@link AppConfig}: the shape of each field (a string, a
 * list, a whole number) is checked here, where the path is known; the values are checked by the
 * records, whose messages {@link Located} puts in place. Fields not named in API.md are ignored,
 * so a config may carry notes of its own.
 */
final class ConfigReader {
    /** A key given twice is a mistake whichever one was meant; YAML would silently keep the last. */
    private static final YAMLMapper YAML = YAMLMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private ConfigReader() {}

    static AppConfig read(byte[] text) {
        if (text.length > AppConfig.MAX_BYTES) throw bad("config.size", "config: at most " + AppConfig.MAX_BYTES + " bytes");
        JsonNode root;
        try {
            root = YAML.readTree(new String(text, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw bad("config.syntax", "config: not valid JSON or YAML (" + firstLine(e.getMessage()) + ")");
        }
        if (root == null || !root.isObject()) throw bad("config.syntax", "config: must be an object with name, version and runtime");
        String runtime = text(root.get("runtime"), "config.runtime");
        return new AppConfig(text(root.get("name"), "config.name"), text(root.get("version"), "config.version"),
                text(root.get("description"), "config.description"),
                runtime == null ? null : at("config", "apps:config.runtime", () -> AppRuntime.of(runtime)),
                text(root.get("main"), "config.main"), command(root.get("command")),
                list(root.get("sensors"), "config.sensors", ConfigReader::binding),
                list(root.get("controllers"), "config.controllers", ConfigReader::binding),
                list(root.get("models"), "config.models", ConfigReader::text),
                list(root.get("params"), "config.params", ConfigReader::param),
                schedule(root.get("schedule")), resources(root.get("resources")));
    }

    /** A string (a number or boolean is taken as its text, as YAML writes {@code version: 1.0}), or null when absent. */
    private static String text(JsonNode v, String path) {
        if (absent(v)) return null;
        if (v.isValueNode()) return v.asText();
        throw bad(path, path + ": a string, not " + kind(v));
    }

    /** A list of strings; one string is taken as the program alone, without arguments. */
    private static List<String> command(JsonNode v) {
        if (absent(v)) return null;
        if (v.isValueNode()) return List.of(v.asText());
        if (!v.isArray()) throw bad("config.command", "config.command: a list of strings, not " + kind(v));
        List<String> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            JsonNode arg = v.get(i);
            if (arg.isNull() || !arg.isValueNode())
                throw bad("config.command", "config.command[" + i + "]: a string, not " + kind(arg));
            out.add(arg.asText());
        }
        return out;
    }

    private static <T> List<T> list(JsonNode v, String path, BiFunction<JsonNode, String, T> element) {
        if (absent(v)) return null;
        if (!v.isArray()) throw bad(path, path + ": a list, not " + kind(v));
        List<T> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) out.add(element.apply(v.get(i), path + "[" + i + "]"));
        return out;
    }

    private static Binding binding(JsonNode v, String path) {
        requireObject(v, path, "{name, type, min?, max?}");
        String name = text(v.get("name"), path + ".name");
        String type = text(v.get("type"), path + ".type");
        int min = count(v.get("min"), path + ".min");
        int max = count(v.get("max"), path + ".max");
        return at(path, code(path), () -> new Binding(name, type, min, max));
    }

    private static Param param(JsonNode v, String path) {
        requireObject(v, path, "{name, type, default?}");
        String name = text(v.get("name"), path + ".name");
        String type = text(v.get("type"), path + ".type");
        JsonNode d = v.get("default");
        if (d != null && !d.isNull() && !d.isValueNode())
            throw bad(path, path + ".default: a string, number or boolean, not " + kind(d));
        Object value = d == null || d.isNull() ? null : d.isNumber() ? d.numberValue() : d.isBoolean() ? d.booleanValue() : d.asText();
        return at(path, code(path), () -> new Param(name, type == null ? null : ParamType.of(type), value));
    }

    /** How many instances a binding takes: absent means 1. */
    private static int count(JsonNode v, String path) {
        if (absent(v)) return 1;
        if (!v.isIntegralNumber() || !v.canConvertToInt())
            throw bad(path, path + ": a whole number 0.." + Binding.MAX_COUNT + ", not " + v);
        return v.intValue();
    }

    /**
     * The scheduler's own reading of a schedule (it interprets the cron, not just counts its
     * fields), with its 400s placed under {@code config.}.
     */
    private static Schedule schedule(JsonNode v) {
        if (absent(v)) return null;
        try {
            return Schedule.parse(v);
        } catch (LatticeException e) {
            throw LatticeException.badRequest("apps:config.schedule", "config." + e.getMessage());
        }
    }

    private static Instant instant(JsonNode v, String path) {
        String text = text(v, path);
        if (text == null) return null;
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw bad(path, path + ": an ISO-8601 time with its offset (2030-01-31T08:00:00Z), not '" + text + "'");
        }
    }

    private static Resources resources(JsonNode v) {
        if (absent(v)) return null;
        requireObject(v, "config.resources", "{cpu, memoryMb, pids}");
        JsonNode cpu = v.get("cpu");
        JsonNode mem = v.get("memoryMb");
        JsonNode pids = v.get("pids");
        if (!absent(cpu) && !cpu.isNumber()) throw bad("config.resources", "config.resources.cpu: a number of cores, not " + cpu);
        if (!absent(mem) && (!mem.isIntegralNumber() || !mem.canConvertToInt()))
            throw bad("config.resources", "config.resources.memoryMb: a whole number, not " + mem);
        if (!absent(pids) && (!pids.isIntegralNumber() || !pids.canConvertToInt()))
            throw bad("config.resources", "config.resources.pids: a whole number of processes, not " + pids);
        // Resources names its own fields (resources.cpu: ...).
        return at("config", "apps:config.resources", () -> new Resources(
                absent(cpu) ? AppConfig.DEFAULT_RESOURCES.cpu() : cpu.doubleValue(),
                absent(mem) ? AppConfig.DEFAULT_RESOURCES.memoryMb() : mem.intValue(),
                absent(pids) ? AppConfig.DEFAULT_RESOURCES.pids() : pids.intValue()));
    }

    private static void requireObject(JsonNode v, String path, String shape) {
        if (v == null || !v.isObject()) throw bad(path, path + ": an object " + shape + ", not " + kind(v));
    }

    private static boolean absent(JsonNode v) {
        return v == null || v.isNull() || v.isMissingNode();
    }

    /** {@code config.sensors[1]} → {@code apps:config.sensors}. */
    private static String code(String path) {
        return "apps:" + path.replaceAll("\\[\\d+]", "");
    }

    private static String kind(JsonNode v) {
        return v == null ? "nothing" : v.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    private static String firstLine(String s) {
        if (s == null) return "unreadable";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
