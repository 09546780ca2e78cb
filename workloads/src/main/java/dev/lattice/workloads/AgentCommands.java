package dev.lattice.workloads;

import dev.lattice.core.LatticeException;

/**
 * The commands each node's agent answers, on its own request topic ({@link #service(String)}):
 * only what needs the node itself, i.e. its workloads' logs.
 */
public final class AgentCommands {
    public static final String LOGS = "workload-logs";
    public static final int MAX_TAIL = 5000;
    /** Replies travel through Kafka, whose default record limit is 1 MB. */
    public static final int MAX_LOG_BYTES = 512 * 1024;

    private AgentCommands() {}

    /** The agent of {@code node} serves {@code lattice.requests.agent-NODE}. */
    public static String service(String node) {
        return "agent-" + node;
    }

    public record Logs(String id, int tail) {
        public Logs {
            if (tail < 1 || tail > MAX_TAIL) throw LatticeException.badRequest("agent:tail", "tail: 1.." + MAX_TAIL + ", not " + tail);
        }
    }

    public record LogText(String text) {}
}
