package dev.lattice.agent;

import dev.lattice.agent.runtime.Launch;
import dev.lattice.agent.runtime.Sandbox;
import dev.lattice.workloads.WorkloadSpec;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How one workload is to run on this node, decided from its spec and the node's config alone
 * (pure: no files, ports or processes are touched here): its command line or image (the spec's),
 * its environment, its port, its sandbox, and where its folder and log are. The runtime then only
 * executes the {@link #launch() launch} it makes.
 *
 * @param id          the workload id
 * @param runtimeNode the node as the runtime names it (platform id + node: several platforms may share one Docker engine)
 * @param spec        what to run
 * @param env         its whole extra environment: the spec's plus the platform's {@code LATTICE_*}
 * @param workDir     the folder it runs in
 * @param logFile     where its output is appended
 * @param shared      host folders it shares with the platform (platform services only)
 * @param sandbox     its confinement; null for a platform service (or an unconfined node)
 * @param port        the port it serves HTTP on, 0 if it serves none
 * @param service     whether it is one of the platform's own services (a static workload of the node)
 */
record LaunchPlan(String id, String runtimeNode, WorkloadSpec spec, Map<String, String> env, Path workDir, Path logFile,
                  List<Path> shared, Sandbox sandbox, int port, boolean service) {
    /** Where an unpacked bundle goes in the workload's folder; the workload then runs in it. */
    static final String BUNDLE_FOLDER = "app";

    LaunchPlan {
        env = Map.copyOf(env);
        shared = List.copyOf(shared);
    }

    /**
     * The plan of a workload: {@code port} is the one it keeps across restarts (chosen by the
     * caller; ignored if it serves no HTTP), {@code runtime} the runtime's name.
     */
    static LaunchPlan of(AgentConfig config, String runtimeNode, String runtime, String id, WorkloadSpec spec,
                         boolean service, int port, Sandbox sandbox) {
        Map<String, String> env = new HashMap<>(spec.env());
        env.put("LATTICE_WORKLOAD_ID", id);
        env.put("LATTICE_NODE", config.node());
        // A placed workload's home is its own folder: what it (or a library in it, such as ONNX
        // Runtime's telemetry) writes under $HOME stays with it and goes when it goes.
        if (!service) env.putIfAbsent("HOME", config.workloadDir(id).toString());
        // The port stays the workload's across restarts: its address does not change under the gateway.
        int served = spec.http() != null ? port : 0;
        if (served > 0) env.put("LATTICE_PORT", Integer.toString(served));
        // A container has its own pid namespace: a supervisor's host pid means nothing inside it.
        // The agent stops its containers itself when that supervisor goes.
        if (!runtime.equals("process")) env.remove("LATTICE_SUPERVISOR_PID");
        return new LaunchPlan(id, runtimeNode, spec, env, config.workloadDir(id), config.logFile(id), config.shared(id),
                sandbox, served, service);
    }

    /** The same plan with its artefact downloaded to {@code file} (kept as a file: the workload is told where). */
    LaunchPlan withArtefact(Path file) {
        Map<String, String> next = new HashMap<>(env);
        next.put("LATTICE_ARTEFACT", file.toString());
        return new LaunchPlan(id, runtimeNode, spec, next, workDir, logFile, shared, sandbox, port, service);
    }

    /**
     * The same plan with its artefact unpacked into {@code folder} (a bundle): the workload runs
     * there, and its HOME moves there too (under docker only the folder it runs in is mounted).
     */
    LaunchPlan withBundle(Path folder) {
        Map<String, String> next = new HashMap<>(env);
        next.put("LATTICE_ARTEFACT", folder.toString());
        if (!service) next.put("HOME", folder.toString());
        return new LaunchPlan(id, runtimeNode, spec, next, folder, logFile, shared, sandbox, port, service);
    }

    /** What the runtime is handed. */
    Launch launch() {
        return new Launch(id, runtimeNode, spec, env, workDir, logFile, shared, sandbox);
    }
}
