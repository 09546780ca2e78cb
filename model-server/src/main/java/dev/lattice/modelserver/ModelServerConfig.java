package dev.lattice.modelserver;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lattice.api.models.ModelConfig;
import dev.lattice.api.models.contract.Contract;
import dev.lattice.models.python.PythonContract;
import dev.lattice.core.LatticeException;
import dev.lattice.core.Names;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The model server's settings: which model version it serves, from which file, where it listens
 * and the contract it applies. Checked at construction so that a bad value fails at start
 * naming its flag or variable.
 *
 * @param name     the model's name ({@code --model}), as clients call it in {@code /v2/models/{name}}
 * @param version  the model version ({@code --version})
 * @param file     the ONNX file ({@code --file}); must be a readable file
 * @param host     the interface to listen on ({@code --host}, default {@code 0.0.0.0}: the gateway
 *                 reaches model servers on other nodes)
 * @param port     HTTP port ({@code --port}, else {@code LATTICE_PORT}, else 0: any free port)
 * @param contract the contract ({@code LATTICE_MODEL_CONTRACT}, normalised JSON from
 *                 {@link Contract#toJson()}), or null: then only the V2 routes serve the model
 * @param key      the key every request but {@code GET /metrics} must present as
 *                 {@code Authorization: Bearer <key>} ({@code LATTICE_SERVE_KEY}, required: the
 *                 models service makes one per deployment and only the gateway and the agent see it)
 * @param python   a Python contract ({@code LATTICE_MODEL_CONTRACT_PY}, its source, with the caps
 *                 {@code LATTICE_CONTRACT_TIMEOUT_MS} and {@code LATTICE_CONTRACT_MEMORY_MB}), or null
 * @param example  a request to warm a Python contract up with ({@code LATTICE_CONTRACT_EXAMPLE}, JSON), or null
 */
public record ModelServerConfig(String name, String version, Path file, String host, int port, Contract contract,
                                String key, PythonContract python, JsonNode example) {
    public static final String DEFAULT_HOST = "0.0.0.0";
    public static final String PORT_ENV = "LATTICE_PORT";
    public static final String CONTRACT_ENV = "LATTICE_MODEL_CONTRACT";
    public static final String KEY_ENV = "LATTICE_SERVE_KEY";
    public static final String PYTHON_ENV = "LATTICE_MODEL_CONTRACT_PY";
    public static final String TIMEOUT_ENV = "LATTICE_CONTRACT_TIMEOUT_MS";
    public static final String MEMORY_ENV = "LATTICE_CONTRACT_MEMORY_MB";
    public static final String EXAMPLE_ENV = "LATTICE_CONTRACT_EXAMPLE";
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,63}");

    public ModelServerConfig {
        try {
            Names.requireName("--model", name);
        } catch (LatticeException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
        if (version == null || !VERSION.matcher(version).matches()) {
            throw new IllegalArgumentException("--version: '" + version + "' must be 1-64 letters, digits, '.', '_', '+' or '-'");
        }
        if (file == null || !Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new IllegalArgumentException("--file: " + file + " is not a readable file");
        }
        if (host == null || host.isBlank()) host = DEFAULT_HOST;
        if (port < 0 || port > 65535) throw new IllegalArgumentException("--port / " + PORT_ENV + ": " + port + " is not a port");
        // Fail closed: a server without a key would answer anyone who reaches the host.
        if (key == null || key.isBlank()) throw new IllegalArgumentException(KEY_ENV + " is required: the key callers must present");
        if (key.strip().length() < 32) throw new IllegalArgumentException(KEY_ENV + ": at least 32 characters");
        key = key.strip();
        if (contract != null && python != null) throw new IllegalArgumentException(CONTRACT_ENV + " and " + PYTHON_ENV + ": one contract, not two");
    }

    @Override
    public String toString() {
        // The key never reaches a log line.
        return "ModelServerConfig[name=" + name + ", version=" + version + ", file=" + file + ", host=" + host + ", port=" + port + "]";
    }

    /**
     * Settings from the command line, falling back to the environment for the port and taking the
     * contract and the key from it.
     *
     * @param port the {@code --port} flag, or null to use {@code LATTICE_PORT} (default 0)
     */
    public static ModelServerConfig of(String name, String version, Path file, String host, Integer port, Map<String, String> env) {
        return new ModelServerConfig(name, version, file, host, port != null ? port : portOf(env), contractOf(env), env.get(KEY_ENV),
                pythonOf(env), exampleOf(env));
    }

    private static int portOf(Map<String, String> env) {
        return intOf(env, PORT_ENV, 0);
    }

    private static PythonContract pythonOf(Map<String, String> env) {
        String source = env.get(PYTHON_ENV);
        if (source == null || source.isBlank()) return null;
        return new PythonContract(source, intOf(env, TIMEOUT_ENV, ModelConfig.ContractCaps.DEFAULT.timeoutMs()),
                intOf(env, MEMORY_ENV, ModelConfig.ContractCaps.DEFAULT.memoryMb()));
    }

    private static int intOf(Map<String, String> env, String name, int otherwise) {
        String value = env.get(name);
        if (value == null || value.isBlank()) return otherwise;
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + ": '" + value + "' is not a number");
        }
    }

    private static JsonNode exampleOf(Map<String, String> env) {
        String text = env.get(EXAMPLE_ENV);
        if (text == null || text.isBlank()) return null;
        try {
            return dev.lattice.core.Json.MAPPER.readTree(text);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(EXAMPLE_ENV + ": not JSON");
        }
    }

    private static Contract contractOf(Map<String, String> env) {
        String text = env.get(CONTRACT_ENV);
        if (text == null || text.isBlank()) return null;
        try {
            return Contract.parse(text);
        } catch (LatticeException e) {
            throw new IllegalArgumentException(CONTRACT_ENV + ": " + e.getMessage());
        }
    }
}
