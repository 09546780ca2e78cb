package dev.lattice.agent.runtime.docker;

import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.LogConfig;
import com.github.dockerjava.api.model.Volume;
import dev.lattice.agent.runtime.Launch;
import dev.lattice.agent.runtime.Sandbox;
import dev.lattice.workloads.Resources;
import dev.lattice.workloads.WorkloadSpec;
import java.nio.file.Path;
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
 * @param confined   a user's workload ({@link Launch#sandbox()}): no capabilities, {@code no-new-privileges},
 *                   a read-only root file system with a {@link #TMPFS} {@code /tmp}
 * @param pidsLimit  processes and threads it may have at once, 0 for no limit
 * @param copyInto   on an engine of another machine, which cannot mount this one's folders: where a
 *                   volume of the container's own is mounted (the parent of the workload's folder),
 *                   into which the folder is copied before it starts, and which goes with the
 *                   container; null on a local engine
 */
record ContainerPlan(String name, String image, List<String> command, List<String> env, Map<String, String> labels,
                     List<Mount> mounts, String user, String workingDir, long memoryBytes, long nanoCpus,
                     boolean confined, long pidsLimit, String copyInto) {
    static final String NODE_LABEL = "lattice.node";
    static final String WORKLOAD_LABEL = "lattice.workload";
    /**
     * The only writable place of a confined container besides its folder. Mode 1777 because the
     * workload's uid is not root; exec allowed (the JDK and ONNX Runtime extract native libraries to
     * the temp folder); capped, though its pages count against the memory limit anyway.
     */
    static final String TMPFS = "rw,nosuid,nodev,size=64m,mode=1777";

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
     * and the Lattice jars read-only and runs in its folder, as it would as a process.
     *
     * <p>A platform service (no sandbox) runs as the agent's user if it is a command, and gets the
     * {@link Launch#shared()} folders. A user's workload runs as its sandbox's uid:gid, an image too
     * (the image's own user could be root), holds no capabilities and sees nothing of the machine
     * but its folder and, for a command, the JDK and jars; its limits are the sandbox's. An image
     * keeps its own working folder: it is part of what the image means.
     *
     * @throws IllegalArgumentException if a sandboxed launch would see a platform folder (a shared
     *         one, or one of {@link Sandbox#hidden()} under a read-only mount)
     */
    static ContainerPlan of(Launch launch, String runtimeImage, HostPaths host) {
        return of(launch, runtimeImage, host, false);
    }

    /**
     * {@code remote}: the engine runs on another machine. Nothing of this one is mounted there: the
     * workload's folder is copied into a volume of the engine, and a command's JDK and jars are in
     * its (shipped) runtime image, at the same paths.
     */
    static ContainerPlan of(Launch launch, String runtimeImage, HostPaths host, boolean remote) {
        WorkloadSpec spec = launch.spec();
        Sandbox sandbox = launch.sandbox();
        boolean command = !spec.needsDocker();
        String workDir = absolute(launch.workDir()); // the engine wants absolute paths
        List<Mount> mounts = new ArrayList<>();
        if (!remote) mounts.add(new Mount(workDir, false));
        if (sandbox != null && !launch.shared().isEmpty())
            throw new IllegalArgumentException("workload " + launch.id() + ": a sandboxed workload shares no platform folder, not " + launch.shared());
        if (remote && !launch.shared().isEmpty())
            throw new IllegalArgumentException("workload " + launch.id() + ": an engine on another machine cannot share this one's folders " + launch.shared());
        for (var dir : launch.shared()) mounts.add(new Mount(absolute(dir), false));
        if (command && !remote) {
            mounts.add(new Mount(host.javaHome().toString(), true));
            for (var dir : host.libDirs()) {
                if (!dir.startsWith(host.javaHome())) mounts.add(new Mount(dir.toString(), true));
            }
        }
        if (sandbox != null) checkHidden(launch.id(), mounts, sandbox.hidden());
        List<String> env = new ArrayList<>();
        new TreeMap<>(launch.env()).forEach((k, v) -> env.add(k + "=" + v));
        Resources r = spec.resources();
        long memoryMb = sandbox != null ? sandbox.memoryMb() : r.memoryMb();
        double cpus = sandbox != null ? sandbox.cpus() : r.cpu();
        String user = sandbox != null ? sandbox.uid() + ":" + sandbox.gid() : command ? host.user() : null;
        return new ContainerPlan(nameOf(launch.node(), launch.id()),
                command ? runtimeImage : spec.image(),
                command ? (remote ? relocated(spec.command(), host) : spec.command()) : List.of(),
                env,
                Map.of(NODE_LABEL, launch.node(), WORKLOAD_LABEL, launch.id()),
                mounts,
                user,
                command ? workDir : null,
                memoryMb > 0 ? memoryMb * 1024L * 1024L : 0,
                cpus > 0 ? Math.round(cpus * 1_000_000_000d) : 0,
                sandbox != null,
                sandbox != null ? sandbox.pids() : 0,
                remote ? absolute(launch.workDir().toAbsolutePath().getParent()) : null);
    }

    /**
     * The engine's side of the plan: init process, the host's network, the mounts (or a remote
     * engine's volume for the folder's copy), the limits, and a user's workload's confinement.
     */
    HostConfig hostConfig() {
        HostConfig hc = HostConfig.newHostConfig()
                .withInit(true)
                .withNetworkMode("host")
                .withBinds(mounts().stream().map(m -> new Bind(m.path(), new Volume(m.path()),
                        m.readOnly() ? AccessMode.ro : AccessMode.rw)).toList())
                // A remote engine's copy of the workload's folder: a volume of the container's own, removed with it.
                .withMounts(copyInto() != null ? List.of(new com.github.dockerjava.api.model.Mount()
                        .withType(com.github.dockerjava.api.model.MountType.VOLUME).withTarget(copyInto())) : List.of())
                // The engine's copy of the output is only read while following it; the log file is the record.
                .withLogConfig(new LogConfig(LogConfig.LoggingType.JSON_FILE, Map.of("max-size", "20m", "max-file", "2")));
        // Swap limit = memory limit: the limit means memory, not memory plus as much swap.
        if (memoryBytes() > 0) hc.withMemory(memoryBytes()).withMemorySwap(memoryBytes());
        if (nanoCpus() > 0) hc.withNanoCPUs(nanoCpus());
        if (pidsLimit() > 0) hc.withPidsLimit(pidsLimit());
        if (confined()) {
            // A user's workload: no capabilities, not even in the bounding set, and no-new-privileges so
            // that no setuid file in an image can give it any back; nothing of the image writable but a
            // small /tmp; no supplementary groups (for a numeric uid:gid the engine lists the primary one only).
            hc.withCapDrop(Capability.ALL)
                    .withSecurityOpts(List.of("no-new-privileges"))
                    .withReadonlyRootfs(true)
                    .withTmpFs(Map.of("/tmp", TMPFS))
                    .withGroupAdd(List.of());
        }
        return hc;
    }

    /** The command line with the shipped folders that the image holds elsewhere ({@link RuntimeImage#shippedPath}) renamed. */
    private static List<String> relocated(List<String> command, HostPaths host) {
        List<Path> dirs = new ArrayList<>(host.libDirs());
        dirs.add(host.javaHome());
        List<String> out = new ArrayList<>(command);
        for (Path dir : dirs) {
            String from = dir.toAbsolutePath().normalize().toString();
            String to = RuntimeImage.shippedPath(dir);
            if (!from.equals(to)) out.replaceAll(arg -> arg.replace(from, to));
        }
        return out;
    }

    /**
     * A read-only mount (the JDK, a jar folder) must not hold a folder the workload may not see (the
     * platform's data folder, with other workloads' files and the platform's keys), as it would if
     * the jars were found through a class path reaching into it. The workload's own folder lives in
     * that data folder, and is the one exception.
     */
    private static void checkHidden(String id, List<Mount> mounts, List<Path> hidden) {
        for (Mount m : mounts.subList(Math.min(1, mounts.size()), mounts.size())) {
            for (Path h : hidden) {
                Path mount = Path.of(m.path());
                Path secret = Path.of(absolute(h));
                if (secret.startsWith(mount) || mount.startsWith(secret))
                    throw new IllegalArgumentException("workload " + id + ": mounting " + mount + " would show it " + secret);
            }
        }
    }

    private static String absolute(Path p) {
        return p.toAbsolutePath().normalize().toString();
    }

    /** Docker allows {@code [a-zA-Z0-9][a-zA-Z0-9_.-]*}; Lattice names already fit, anything else is replaced. */
    static String nameOf(String node, String id) {
        return ("lattice-" + node + "-" + id).replaceAll("[^a-zA-Z0-9_.-]", "_");
    }
}
