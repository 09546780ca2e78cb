package dev.lattice.workloads;

import java.time.Instant;

/**
 * One replica of a deployment and where the deployer put it. {@code node} is null while no node
 * can take it (PENDING). Moving a workload to another node keeps its id; the old node's agent
 * then sees it is no longer assigned there and stops its copy. Owned by the deployer (kind {@value #KIND}).
 */
public record Workload(String id, String deployment, String kind, int replica, String node, WorkloadSpec spec,
                       Instant assignedAt) {
    public static final String KIND = "workload";

    public Workload placedOn(String newNode, Instant at) {
        return new Workload(id, deployment, kind, replica, newNode, spec, at);
    }
}
