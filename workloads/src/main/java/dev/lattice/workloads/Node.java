package dev.lattice.workloads;

import java.time.Instant;
import java.util.List;

/**
 * A node as the node manager registers it (kind {@value #KIND}). Its live load is in its latest
 * {@link NodeReport}; this record changes only when the node's status does, so it is cheap to follow.
 *
 * @param statusSince when {@code status} last changed: the deployer moves the workloads of a node
 *                    that has been NOT_READY for long enough
 * @param docker      a remote Docker server node's engine, as its agent reports it; null for other nodes
 */
public record Node(String name, NodeStatus status, String runtime, List<String> labels, int cpus,
                   long memoryTotalMb, boolean draining, Instant statusSince, DockerEngine docker) {
    public static final String KIND = "node";
    /** Nodes with this label run the platform's own services (API.md: n1 under {@code lattice up}). */
    public static final String CONTROL_PLANE = "control-plane";

    public Node {
        labels = labels == null ? List.of() : List.copyOf(labels);
    }

    public Node(String name, NodeStatus status, String runtime, List<String> labels, int cpus,
                long memoryTotalMb, boolean draining, Instant statusSince) {
        this(name, status, runtime, labels, cpus, memoryTotalMb, draining, statusSince, null);
    }

    public Node withStatus(NodeStatus next, Instant at) {
        return new Node(name, next, runtime, labels, cpus, memoryTotalMb, draining, at, docker);
    }

    public Node withDraining(boolean drain, Instant at) {
        NodeStatus next = status == NodeStatus.NOT_READY ? NodeStatus.NOT_READY : drain ? NodeStatus.DRAINING : NodeStatus.READY;
        return new Node(name, next, runtime, labels, cpus, memoryTotalMb, drain, next == status ? statusSince : at, docker);
    }

    /** Takes what the agent says about capacity and labels (they may change when an agent restarts with new flags). */
    public Node describedBy(NodeReport r) {
        return new Node(name, status, r.runtime(), r.labels(), r.cpus(), r.memoryTotalMb(), draining, statusSince, r.docker());
    }
}
