package dev.lattice.agent;

import dev.lattice.workloads.Workload;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What one node agent is: its node's name, runtime, labels and capacity, where it keeps its
 * files, and the static workloads it runs without the deployer (the platform's own services on
 * a control-plane node: the deployer cannot place itself).
 *
 * @param dataDir   this node's folder: workload folders, logs, and the record of what runs (for adoption)
 * @param cpus      cores offered to workloads (default: this machine's)
 * @param memoryMb  memory offered (default: this machine's)
 * @param stopGrace how long a workload may take to stop before it is killed
 * @param advertiseHost the host name or address by which other machines reach this node's
 *                  workloads that serve HTTP (the gateway calls model servers there)
 * @param hidden    folders user workloads must not see besides this node's own (the platform's data folder)
 * @param insecureWorkloads run user workloads unconfined (--insecure-workloads: for hosts without a sandbox)
 * @param hungAfter how long a platform service here may be alive but silent before it is killed and
 *                  restarted ({@code LATTICE_HUNG_AFTER}, default {@link #HUNG_AFTER}; see {@link HangWatch})
 */
public record AgentConfig(String node, String runtime, List<String> labels, int cpus, long memoryMb, Path dataDir,
                          List<StaticWorkload> staticWorkloads, Duration stopGrace, String advertiseHost,
                          List<Path> hidden, boolean insecureWorkloads, Duration hungAfter) {
    public static final Duration HUNG_AFTER = Duration.ofSeconds(10);

    public AgentConfig {
        labels = List.copyOf(labels);
        staticWorkloads = List.copyOf(staticWorkloads);
        if (advertiseHost == null || advertiseHost.isBlank()) advertiseHost = "127.0.0.1";
        hidden = hidden == null ? List.of() : List.copyOf(hidden);
        if (hungAfter == null) hungAfter = HUNG_AFTER;
    }

    public AgentConfig(String node, String runtime, List<String> labels, int cpus, long memoryMb, Path dataDir,
                       List<StaticWorkload> staticWorkloads, Duration stopGrace, String advertiseHost) {
        this(node, runtime, labels, cpus, memoryMb, dataDir, staticWorkloads, stopGrace, advertiseHost, List.of(), false, null);
    }

    /** What user workloads must not see: this node's folder (records, other workloads) and {@link #hidden}. */
    public List<Path> hiddenFromWorkloads() {
        List<Path> all = new java.util.ArrayList<>(hidden);
        all.add(dataDir);
        return all;
    }

    /**
     * A workload this node always runs. {@code logFile} overrides the default log place (the
     * platform services log to {@code DATA/logs/NAME.log}); {@code heartbeatInstance}, if set, is
     * the service instance the agent reports DOWN at once when the process dies.
     */
    public record StaticWorkload(Workload workload, Path logFile, String heartbeatInstance, List<Path> shared) {
        public StaticWorkload {
            shared = shared == null ? List.of() : List.copyOf(shared);
        }
    }

    /** The host folders a static workload shares with the platform (none for assigned workloads). */
    public List<Path> shared(String id) {
        for (StaticWorkload s : staticWorkloads) if (s.workload().id().equals(id)) return s.shared();
        return List.of();
    }

    public Path workloadDir(String id) {
        return dataDir.resolve("workloads").resolve(id);
    }

    public Path logFile(String id) {
        for (StaticWorkload s : staticWorkloads) {
            if (s.workload().id().equals(id) && s.logFile() != null) return s.logFile();
        }
        return dataDir.resolve("logs").resolve(id + ".log");
    }

    /** Machine memory from /proc/meminfo, in MiB; 0 if unknown. */
    public static long machineMemoryMb() {
        try {
            for (String line : java.nio.file.Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
            }
        } catch (java.io.IOException | NumberFormatException e) {
            // not Linux
        }
        return 0;
    }
}
