package dev.lattice.agent.runtime.docker;

import dev.lattice.agent.runtime.Launch;
import dev.lattice.workloads.Resources;
import dev.lattice.workloads.WorkloadSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The container a {@link Launch} becomes, worked out before any call to the engine (so it can be
 * checked without Docker).
 *
 * @param name       {@code lattice-NODE-ID}: one container per workload and node, found again by name after a crash
 * @param image      the workload's image, or the Lattice runtime image for a command
 * @param command    the command to run, or empty to run the image's own
 * @param env        {@code NAME=value}, sorted
 * @param labels     who owns the container, for {@code sweep} and for people reading {@code docker ps}
 * @param mounts     bind mounts, each at the same path inside as outside
 * @param user       {@code uid:gid}, or null for the image's own user
 * @param workingDir the working folder, or null for the image's own
 * @param memoryBytes memory limit, 0 for none
 * @param nanoCpus   CPU limit in billionths of a core, 0 for none
 */
record ContainerPlan(String name, String image, List<String> command, List<String> env, Map<String, String> labels,
                     List<Mount> mounts, String user, String workingDir, long memoryBytes, long nanoCpus) {
    static final String NODE_LABEL = "lattice.node";
    static final String WORKLOAD_LABEL = "lattice.workload";

    /** A bind mount of a host path at the same path in the container. */
    record Mount(String path, boolean readOnly) {}

    ContainerPlan {
        command = List.copyOf(command);
        env = List.copyOf(env);
        labels = Map.copyOf(labels);
        mounts = List.copyOf(mounts);
    }

    /**
     * The plan for one launch. The workload's folder is mounted read-write in every case (artefacts
     * are downloaded there, {@code LATTICE_ARTEFACT} names a path in it). A command also gets the JDK
     * and the Lattice jars read-only, runs as the agent's user and in its folder, as it would as a
     * process. An image keeps its own user and working folder: they are part of what the image means.
     */
    static ContainerPlan of(Launch launch, String runtimeImage, HostPaths host) {
        WorkloadSpec spec = launch.spec();
        boolean command = !spec.needsDocker();
        String workDir = launch.workDir().toAbsolutePath().normalize().toString(); // the engine wants absolute paths
        List<Mount> mounts = new ArrayList<>();
        mounts.add(new Mount(workDir, false));
        for (var dir : launch.shared()) mounts.add(new Mount(dir.toAbsolutePath().normalize().toString(), false));
        if (command) {
            mounts.add(new Mount(host.javaHome().toString(), true));
            for (var dir : host.libDirs()) {
                if (!dir.startsWith(host.javaHome())) mounts.add(new Mount(dir.toString(), true));
            }
        }
        List<String> env = new ArrayList<>();
        new TreeMap<>(launch.env()).forEach((k, v) -> env.add(k + "=" + v));
        Resources r = spec.resources();
        return new ContainerPlan(nameOf(launch.node(), launch.id()),
                command ? runtimeImage : spec.image(),
                command ? spec.command() : List.of(),
                env,
                Map.of(NODE_LABEL, launch.node(), WORKLOAD_LABEL, launch.id()),
                mounts,
                command ? host.user() : null,
                command ? workDir : null,
                r.memoryMb() > 0 ? r.memoryMb() * 1024L * 1024L : 0,
                r.cpu() > 0 ? Math.round(r.cpu() * 1_000_000_000d) : 0);
    }

    /** Docker allows {@code [a-zA-Z0-9][a-zA-Z0-9_.-]*}; Lattice names already fit, anything else is replaced. */
    static String nameOf(String node, String id) {
        return ("lattice-" + node + "-" + id).replaceAll("[^a-zA-Z0-9_.-]", "_");
    }
}
