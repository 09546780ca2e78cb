package dev.lattice.agent.runtime;

import dev.lattice.workloads.WorkloadSpec;
import java.nio.file.Path;
import java.util.Map;

/**
 * One workload as the agent hands it to a runtime.
 *
 * @param id       the workload id (unique on the platform)
 * @param node     the node the agent serves (several nodes may share one machine and one Docker engine)
 * @param spec     what to run
 * @param env      the full extra environment: the spec's env plus the platform's {@code LATTICE_*} variables
 * @param workDir  the workload's own folder on this machine (artefacts are downloaded here); the process runs in it
 * @param logFile  where its output goes, appended across restarts
 * @param shared   host folders the workload shares with the platform, at the same path (only the
 *                 platform's own services get any: the data folder they keep files in)
 * @param sandbox  how a user's workload is confined; null for the platform's own services
 */
public record Launch(String id, String node, WorkloadSpec spec, Map<String, String> env, Path workDir, Path logFile,
                     java.util.List<Path> shared, Sandbox sandbox) {
    public Launch {
        env = Map.copyOf(env);
        shared = shared == null ? java.util.List.of() : java.util.List.copyOf(shared);
    }

    public Launch(String id, String node, WorkloadSpec spec, Map<String, String> env, Path workDir, Path logFile) {
        this(id, node, spec, env, workDir, logFile, java.util.List.of(), null);
    }

    /** The same launch with another environment and folder (after its artefact is fetched). */
    public Launch with(Map<String, String> env, Path workDir) {
        return new Launch(id, node, spec, env, workDir, logFile, shared, sandbox);
    }
}
