package dev.lattice.workloads;

import java.time.Instant;
import java.util.List;

/**
 * What an agent says about its node every second: capacity, measured load and the state of each
 * workload it runs. Kind {@value #KIND}, one key per node. The agent writes it to its node's own
 * topic ({@link #topic}, which only that node's Kafka user may write: ACLs are per topic, so one
 * shared topic would let any agent report for any node); the node manager checks that the report
 * names the topic's node and relays it to {@code lattice.state.node-report}, which everyone reads.
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
    /** Every node's own report topic starts with this. */
    public static final String TOPIC_PREFIX = "lattice.node-reports.";

    /** The topic {@code node}'s agent writes its reports to: short-lived, only the newest matters. */
    public static dev.lattice.bus.feed.StreamTopic topic(String node) {
        return new dev.lattice.bus.feed.StreamTopic(TOPIC_PREFIX + node, 1, java.time.Duration.ofMinutes(10));
    }

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
