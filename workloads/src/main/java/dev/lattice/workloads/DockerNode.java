package dev.lattice.workloads;

import java.net.URI;
import java.time.Instant;
import java.util.List;

/**
 * A remote Docker server made a node ({@code POST /api/v1/nodes}), kind {@value #KIND}, owned by the
 * node manager. Nothing of Lattice runs on that server: the agent of control-plane node
 * {@code agentOn} runs this node's agent against the engine. Holds secrets (the engine's client key,
 * the node's Kafka password), so only the control plane reads this kind: a joined agent's Kafka
 * identity may not.
 *
 * @param host          {@code tcp://HOST:PORT} (mutual TLS) or {@code unix:///path}
 * @param ca            PEM: the CA that signed the engine's certificate
 * @param cert          PEM: the client certificate the engine trusts
 * @param key           PEM: its private key
 * @param kafkaUsername the node's own Kafka identity (as a joined agent's: its node's reports only)
 */
public record DockerNode(String name, String host, String ca, String cert, String key, List<String> labels, String agentOn,
                         String kafkaUsername, String kafkaPassword, Instant createdAt, String createdBy) {
    public static final String KIND = "docker-node";

    public DockerNode {
        labels = labels == null ? List.of() : List.copyOf(labels);
    }

    /** Where the node's workloads are reached: the engine's host (its containers use the host's network). */
    public String address() {
        URI uri = URI.create(host);
        return "tcp".equals(uri.getScheme()) && uri.getHost() != null ? uri.getHost() : "127.0.0.1";
    }

    /** What the API shows of it. */
    public NodeCommands.DockerNodeInfo info() {
        return new NodeCommands.DockerNodeInfo(name, new DockerEngine(host, null), labels, agentOn, createdAt, createdBy);
    }

    @Override
    public String toString() {
        return "DockerNode[" + name + " at " + host + ", agent on " + agentOn + "]";
    }
}
