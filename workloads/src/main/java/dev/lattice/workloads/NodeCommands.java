package dev.lattice.workloads;

import dev.lattice.core.Names;

/** The commands the node manager answers on {@code lattice.requests.nodes}. */
public final class NodeCommands {
    public static final String SERVICE = "nodes";
    public static final String DRAIN = "drain-node";
    public static final String UNDRAIN = "undrain-node";
    public static final String CREATE_JOIN_TOKEN = "create-join-token";
    public static final String LIST_JOIN_TOKENS = "list-join-tokens";
    public static final String REVOKE_JOIN_TOKEN = "revoke-join-token";
    /** A host's agent trades a join token for its node's Kafka identity. */
    public static final String JOIN = "join";
    /** {@code POST /api/v1/nodes}: a remote Docker server becomes a node. */
    public static final String ADD_DOCKER_NODE = "add-docker-node";
    /** {@code DELETE /api/v1/nodes/{name}}: drain, then forget. */
    public static final String REMOVE_NODE = "remove-node";

    private NodeCommands() {}

    public record NodeName(String name) {
        public NodeName {
            Names.requireName("name", name);
        }
    }

    /** {@code POST /api/v1/nodes/join-tokens}: a name to know it by, and when it stops working (null: never). */
    public record NewJoinToken(String name, java.time.Instant expiresAt) {}

    /** A new join token: the secret is shown here once and kept nowhere. */
    public record IssuedJoinToken(String id, String token, String name, java.time.Instant expiresAt) {
        @Override
        public String toString() {
            return "IssuedJoinToken[" + id + "]";
        }
    }

    public record JoinTokenId(String id) {}

    /** What an agent sends to join: the token and the name its node will have. */
    public record JoinRequest(String token, String node) {
        @Override
        public String toString() {
            return "JoinRequest[" + node + "]";
        }
    }

    /**
     * What a joining agent gets: where Kafka is and who it is there. The identity may write only
     * its node's reports, events and replies, and read only what an agent needs.
     *
     * @param mechanism the SASL mechanism, {@code SCRAM-SHA-256}
     */
    public record Joined(String node, String kafka, String username, String password, String mechanism) {
        @Override
        public String toString() {
            return "Joined[" + node + ", " + kafka + ", " + username + "]";
        }
    }

    /** {@code POST /api/v1/nodes}: a name, the engine and how to reach it (mutual TLS), labels. */
    public record NewDockerNode(String name, DockerAccess docker, java.util.List<String> labels) {}

    /** A Docker engine's address and the client's TLS material, PEM text (never shown back). */
    public record DockerAccess(String host, String ca, String cert, String key) {
        @Override
        public String toString() {
            return "DockerAccess[" + host + "]";
        }
    }

    /** A remote Docker server node as the API shows it. */
    public record DockerNodeInfo(String name, DockerEngine docker, java.util.List<String> labels, String agentOn,
                                 java.time.Instant createdAt, String createdBy) {}
}
