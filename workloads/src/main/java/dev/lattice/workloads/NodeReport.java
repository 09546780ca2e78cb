package dev.lattice.workloads;

import java.time.Instant;
import java.util.List;

/**
 * What an agent says about its node every second: capacity, measured load and the state of each
 * workload it runs. Kind {@value #KIND}, one key per node, written by that node's agent only.
 *
 * @param cpuLoad CPU used by the node's workloads, as a fraction of the node's {@code cpus} (0..1)
 * @param placedCpuLoad the same, counting only the workloads the deployer placed: without the static
 *                      platform services, whose usage is the control-plane node's baseline (as a
 *                      kubelet's system-reserved share), e.g. their warm-up right after a start
 * @param memoryUsedMb resident memory of the node's workloads
 * @param sandbox how the node confines user workloads, e.g. {@code bwrap+cgroup-v1} or {@code docker};
 *                {@value #UNCONFINED} when it was started with --insecure-workloads
 * @param docker  the engine, when the node is a remote Docker server; null otherwise
 */
public record NodeReport(String node, String runtime, List<String> labels, int cpus, long memoryTotalMb,
                         double cpuLoad, double placedCpuLoad, long memoryUsedMb, List<Running> workloads, long agentPid,
                         Instant startedAt, Instant ts, String sandbox, DockerEngine docker) {
    public static final String KIND = "node-report";
    public static final String UNCONFINED = "none (--insecure-workloads)";

    public NodeReport {
        labels = labels == null ? List.of() : List.copyOf(labels);
        workloads = workloads == null ? List.of() : List.copyOf(workloads);
    }

    public NodeReport(String node, String runtime, List<String> labels, int cpus, long memoryTotalMb,
                      double cpuLoad, double placedCpuLoad, long memoryUsedMb, List<Running> workloads, long agentPid,
                      Instant startedAt, Instant ts) {
        this(node, runtime, labels, cpus, memoryTotalMb, cpuLoad, placedCpuLoad, memoryUsedMb, workloads, agentPid, startedAt, ts, null, null);
    }

    /**
     * One workload as its agent sees it. {@code address} ({@code http://host:port}) is set for a
     * workload that serves HTTP, and only while it is ready (status RUNNING). {@code lastExit}: how
     * its last run ended, if one did unasked.
     */
    public record Running(String id, String deployment, String kind, WorkloadStatus status, int restarts,
                          String handle, String message, Instant since, String address, LastExit lastExit) {
        public Running(String id, String deployment, String kind, WorkloadStatus status, int restarts,
                       String handle, String message, Instant since) {
            this(id, deployment, kind, status, restarts, handle, message, since, null, null);
        }

        public Running withAddress(String address) {
            return new Running(id, deployment, kind, status, restarts, handle, message, since, address, lastExit);
        }
    }

    /**
     * How a run ended unasked: {@code reason} {@value #OOM_KILLED} when the kernel killed it for
     * exceeding its memory limit, {@code Error} for any other non-zero exit, {@code Completed} for 0.
     */
    public record LastExit(String reason, int exitCode, Instant at) {
        public static final String OOM_KILLED = "OOMKilled";
    }
}
