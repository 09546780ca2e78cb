package dev.lattice.models;

import dev.lattice.api.models.ModelVersion;
import dev.lattice.workloads.JvmCommand;
import dev.lattice.workloads.Resources;
import dev.lattice.workloads.WorkloadSpec;
import java.util.List;
import java.util.Map;

/**
 * The workload spec of a model-server replica for one model version: the same JVM and jars as the
 * models service (the agents run from the same installation), the model file as the workload's
 * artefact, the contract in an env variable, and {@code /v2/health/ready} as its readiness, so
 * that a replica counts only once the model is loaded and warmed up. Model and version are on
 * the command line, where {@code ps} shows them. The deployment's serve key is in the env: the
 * server answers nobody without it (only platform processes read workload specs).
 */
final class ModelServerSpec {
    static final String MAIN = "dev.lattice.modelserver.ModelServerMain";
    static final String READY_PATH = "/v2/health/ready";
    /** Read by the gateway to tell a replica's version during a rolling replace. */
    static final String VERSION_ENV = "LATTICE_MODEL_VERSION";
    /** The key the replica's server wants from every caller (model-server's README); the gateway and agent read it from the spec. */
    static final String KEY_ENV = "LATTICE_SERVE_KEY";

    /** What one Python worker holds before its contract allocates anything (interpreter and numpy). */
    static final int PYTHON_FOOTPRINT_MB = 48;
    private final String java;
    private final String classpath;

    ModelServerSpec(String java, String classpath) {
        this.java = java;
        this.classpath = classpath;
    }

    /** The JVM and class path this process runs with: an installation's {@code lib/*} if it says so. */
    static ModelServerSpec ofThisInstallation() {
        return new ModelServerSpec(JvmCommand.thisJava(), JvmCommand.thisClassPath());
    }

    /** @param key the deployment's serve key ({@link dev.lattice.http.ServiceKey#generate()}) */
    WorkloadSpec of(ModelVersion v, String key) {
        int memory = v.config().resources().memoryMb();
        List<String> cmd = JvmCommand.of(java)
                // ONNX Runtime's buffers live outside the heap: the heap gets half of the reservation.
                .heapMb(Math.max(64, memory / 2))
                .codeCacheMb(64)
                // ONNX Runtime unpacks its 28 MB native library under java.io.tmpdir at every start: in the
                // workload's own folder (its working directory), not in the machine's /tmp, where a killed
                // replica's copy would stay behind for ever.
                .property("java.io.tmpdir", ".")
                .nativeAccess()
                .unsafeMemoryAccess()
                .main(classpath, MAIN, List.of("--model", v.name(), "--version", v.version(), "--file", v.model().fileName()));
        Map<String, String> env = new java.util.HashMap<>(Map.of(VERSION_ENV, v.version(), KEY_ENV, key));
        Resources resources = v.config().resources();
        if (v.pythonContract()) {
            var caps = v.config().contract();
            env.put("LATTICE_MODEL_CONTRACT_PY", v.contract());
            env.put("LATTICE_CONTRACT_TIMEOUT_MS", Integer.toString(caps.timeoutMs()));
            env.put("LATTICE_CONTRACT_MEMORY_MB", Integer.toString(caps.memoryMb()));
            if (v.config().example() != null) env.put("LATTICE_CONTRACT_EXAMPLE", v.config().example().toString());
            // Each worker may take its cap on top of the interpreter's own ~50 MiB: the replica reserves room for all of them,
            // so that a contract at its cap meets its own MemoryError, not the kernel's OOM killer in the server.
            if (resources.memoryMb() > 0) {
                int extra = dev.lattice.models.python.PythonContract.WORKERS * (caps.memoryMb() + PYTHON_FOOTPRINT_MB);
                resources = new Resources(resources.cpu(), resources.memoryMb() + extra, resources.pids());
            }
        } else {
            env.put("LATTICE_MODEL_CONTRACT", v.contract());
        }
        return new WorkloadSpec(cmd, null, Map.copyOf(env), resources, v.model(), new WorkloadSpec.Http(READY_PATH));
    }
}
