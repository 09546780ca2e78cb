package dev.lattice.models;

import dev.lattice.workloads.WorkloadSpec;
import java.nio.file.Path;
import java.util.ArrayList;
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

    private final String java;
    private final String classpath;

    ModelServerSpec(String java, String classpath) {
        this.java = java;
        this.classpath = classpath;
    }

    /** The JVM and class path this process runs with: an installation's {@code lib/*} if it says so. */
    static ModelServerSpec ofThisInstallation() {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String lib = System.getProperty("lattice.lib");
        return new ModelServerSpec(java, lib != null ? lib + "/*" : System.getProperty("java.class.path"));
    }

    /** @param key the deployment's serve key ({@link dev.lattice.http.ServiceKey#generate()}) */
    WorkloadSpec of(ModelVersion v, String key) {
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        int memory = v.config().resources().memoryMb();
        // ONNX Runtime's buffers live outside the heap: the heap gets half of the reservation.
        cmd.add("-Xmx" + Math.max(64, memory / 2) + "m");
        cmd.addAll(List.of("-Xss512k", "-XX:+UseSerialGC", "-XX:ReservedCodeCacheSize=64m"));
        // ONNX Runtime unpacks its 28 MB native library under java.io.tmpdir at every start: in the
        // workload's own folder (its working directory), not in the machine's /tmp, where a killed
        // replica's copy would stay behind for ever.
        cmd.add("-Djava.io.tmpdir=.");
        if (Runtime.version().feature() >= 22) cmd.add("--enable-native-access=ALL-UNNAMED");
        if (Runtime.version().feature() >= 23) cmd.add("--sun-misc-unsafe-memory-access=allow");
        cmd.addAll(List.of("-cp", classpath, MAIN, "--model", v.name(), "--version", v.version(),
                "--file", v.model().fileName()));
        Map<String, String> env = Map.of("LATTICE_MODEL_CONTRACT", v.contract(), VERSION_ENV, v.version(), KEY_ENV, key);
        return new WorkloadSpec(cmd, null, env, v.config().resources(), v.model(), new WorkloadSpec.Http(READY_PATH));
    }
}
