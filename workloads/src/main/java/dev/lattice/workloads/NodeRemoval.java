package dev.lattice.workloads;

import java.time.Instant;

/**
 * A node being removed ({@code DELETE /api/v1/nodes/{name}}), kind {@value #KIND}, owned by the node
 * manager: it is drained; once nothing is assigned to it, its Kafka identity is revoked, its agent
 * (a remote Docker server's) stopped, and the node forgotten.
 *
 * @param revokedAt when nothing was assigned to it any more and its identity was revoked; null before
 */
public record NodeRemoval(String name, Instant requestedAt, String requestedBy, Instant revokedAt) {
    public static final String KIND = "node-removal";

    public NodeRemoval revoked(Instant at) {
        return new NodeRemoval(name, requestedAt, requestedBy, at);
    }
}
