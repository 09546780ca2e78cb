package dev.lattice.api.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.lattice.core.LatticeException;
import dev.lattice.core.Names;
import dev.lattice.workloads.DeployerCommands;
import dev.lattice.workloads.Resources;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * A model's config as the data scientist uploads it (JSON or YAML; API.md "Models"): which model
 * and version it is, its format, how many replicas to deploy by default and what each reserves;
 * for a Python contract, the caps of each call and an example request that upload runs through
 * it. Fields not named here are ignored, so a config may carry notes of its own.
 *
 * @param example  one request, run through a Python contract at upload; null: none
 * @param contract the caps of each call of a Python contract (defaults when the config has none)
 */
public record ModelConfig(String name, String version, String format, int replicas, Resources resources,
                          JsonNode example, ContractCaps contract) {
    /** {@code contract: {timeoutMs, memoryMb}}: what one call of a Python contract may take. */
    public record ContractCaps(int timeoutMs, int memoryMb) {
        public static final ContractCaps DEFAULT = new ContractCaps(2000, 256);

        public ContractCaps {
            if (timeoutMs < 10 || timeoutMs > 60_000)
                throw bad("config.contract", "config.contract.timeoutMs: 10..60000, not " + timeoutMs);
            if (memoryMb < 16 || memoryMb > 4096)
                throw bad("config.contract", "config.contract.memoryMb: 16..4096, not " + memoryMb);
        }
    }

    /** A config without an example or caps of its own. */
    public ModelConfig(String name, String version, String format, int replicas, Resources resources) {
        this(name, version, format, replicas, resources, null, null);
    }

    public static final int MAX_BYTES = 64 * 1024;
    /** A model's deployment is called {@code model-NAME}, which must itself be a name. */
    public static final int MAX_NAME = 56;
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,31}");
    private static final Resources DEFAULT_RESOURCES = new Resources(0.25, 256);
    private static final YAMLMapper YAML = new YAMLMapper();

    public ModelConfig {
        if (name == null || name.isBlank()) throw bad("config.name", "config: 'name' is missing");
        Names.requireName("config.name", name);
        if (name.length() > MAX_NAME) throw bad("config.name", "config.name: at most " + MAX_NAME + " characters");
        if (version == null || version.isBlank()) throw bad("config.version", "config: 'version' is missing");
        if (!VERSION.matcher(version).matches())
            throw bad("config.version", "config.version: letters, digits, '.', '_' or '-' (at most 32), not '" + version + "'");
        format = format == null ? "onnx" : format;
        if (!format.equals("onnx")) throw bad("config.format", "config.format: only 'onnx' is supported, not '" + format + "'");
        if (replicas < 1 || replicas > DeployerCommands.MAX_REPLICAS)
            throw bad("config.replicas", "config.replicas: 1.." + DeployerCommands.MAX_REPLICAS + ", not " + replicas);
        resources = resources == null ? DEFAULT_RESOURCES : resources;
        if (resources.memoryMb() > 0 && resources.memoryMb() < 96)
            throw bad("config.resources", "config.resources.memoryMb: a model server needs at least 96, not " + resources.memoryMb());
        contract = contract == null ? ContractCaps.DEFAULT : contract;
        if (example != null && example.isNull()) example = null;
    }

    /** Reads a config file: JSON or YAML (JSON is YAML), each mistake a 400 naming the field. */
    public static ModelConfig parse(byte[] text) {
        if (text.length > MAX_BYTES) throw bad("config.size", "config: at most " + MAX_BYTES + " bytes");
        JsonNode root;
        try {
            root = YAML.readTree(new String(text, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw bad("config.syntax", "config: not valid JSON or YAML (" + firstLine(e.getMessage()) + ")");
        }
        if (root == null || !root.isObject()) throw bad("config.syntax", "config: must be an object with name and version");
        return new ModelConfig(text(root, "name"), text(root, "version"), text(root, "format"),
                root.has("replicas") ? integer(root.get("replicas")) : 1, resources(root.get("resources")),
                root.get("example"), caps(root.get("contract")));
    }

    private static ContractCaps caps(JsonNode v) {
        if (v == null || v.isNull()) return null;
        if (!v.isObject()) throw bad("config.contract", "config.contract: an object {timeoutMs, memoryMb}");
        JsonNode timeout = v.get("timeoutMs");
        JsonNode memory = v.get("memoryMb");
        for (JsonNode n : new JsonNode[] {timeout, memory}) {
            if (n != null && (!n.isIntegralNumber() || !n.canConvertToInt()))
                throw bad("config.contract", "config.contract: timeoutMs and memoryMb are whole numbers, not " + n);
        }
        return new ContractCaps(timeout == null ? ContractCaps.DEFAULT.timeoutMs() : timeout.intValue(),
                memory == null ? ContractCaps.DEFAULT.memoryMb() : memory.intValue());
    }

    private static String text(JsonNode root, String field) {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) return null;
        if (v.isTextual() || v.isNumber()) return v.asText();
        throw bad("config." + field, "config." + field + ": a string, not " + v.getNodeType().name().toLowerCase());
    }

    private static int integer(JsonNode v) {
        if (v == null || !v.canConvertToInt() || !v.isIntegralNumber())
            throw bad("config.replicas", "config.replicas: a whole number, not " + v);
        return v.intValue();
    }

    private static Resources resources(JsonNode v) {
        if (v == null || v.isNull()) return null;
        if (!v.isObject()) throw bad("config.resources", "config.resources: an object {cpu, memoryMb, pids}");
        JsonNode cpu = v.get("cpu");
        JsonNode mem = v.get("memoryMb");
        JsonNode pids = v.get("pids");
        if (cpu != null && !cpu.isNumber()) throw bad("config.resources", "config.resources.cpu: a number, not " + cpu);
        if (mem != null && (!mem.isIntegralNumber() || !mem.canConvertToInt()))
            throw bad("config.resources", "config.resources.memoryMb: a whole number, not " + mem);
        if (pids != null && (!pids.isIntegralNumber() || !pids.canConvertToInt()))
            throw bad("config.resources", "config.resources.pids: a whole number of processes, not " + pids);
        try {
            return new Resources(cpu == null ? DEFAULT_RESOURCES.cpu() : cpu.doubleValue(),
                    mem == null ? DEFAULT_RESOURCES.memoryMb() : mem.intValue(), pids == null ? DEFAULT_RESOURCES.pids() : pids.intValue());
        } catch (LatticeException e) {
            // Resources names the field within itself (resources.pids: ...); the uploader needs its place in the config.
            throw bad("config.resources", "config." + e.getMessage());
        }
    }

    /** The deployment that runs this model's replicas. */
    public static String deploymentOf(String model) {
        return "model-" + model;
    }

    /** The deployment that runs its canary's replica, if it has one (a name too: at most 63 characters). */
    public static String canaryOf(String model) {
        return "canary-" + model;
    }

    private static String firstLine(String s) {
        if (s == null) return "unreadable";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static LatticeException bad(String field, String detail) {
        return LatticeException.badRequest("models:" + field, detail);
    }
}
