package dev.lattice.workloads;

import java.time.Instant;

/**
 * One replica of a deployment and where the deployer put it. {@code node} is null while no node
 * can take it (PENDING). Moving a workload to another node keeps its id; the old node's agent
 * then sees it is no longer assigned there and stops its copy. Owned by the deployer (kind {@value #KIND}).
 *
 * <p>A workload's spec holds its secrets (an app's token, a model server's key), so an agent does
 * not read {@code lattice.state.workload}: the deployer copies each workload, in the same
 * transaction, to its node's own compacted topic ({@link #topic}), the only one that node's Kafka
 * user may read, and leaves a tombstone on the old node's topic when it moves or goes.
 */
public record Workload(String id, String deployment, String kind, int replica, String node, WorkloadSpec spec,
                       Instant assignedAt) {
    public static final String KIND = "workload";
    /** Every node's own copy of its workloads is on a topic named with this and the node's name. */
    public static final String TOPIC_PREFIX = "lattice.node-workloads.";

    /** The compacted topic holding the workloads placed on {@code node}, as its agent reads them. */
    public static String topic(String node) {
        return TOPIC_PREFIX + node;
    }

    /** This workload's copy topic: its node's, none while it waits for one. */
    public String copyTopic() {
        return node == null ? null : topic(node);
    }

    public Workload placedOn(String newNode, Instant at) {
        return new Workload(id, deployment, kind, replica, newNode, spec, at);
    }
}
