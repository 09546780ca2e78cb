package dev.lattice.workloads;

import java.time.Instant;

/**
 * A join token as the node manager keeps it (kind {@value #KIND}): only the SHA-256 of the secret,
 * never the secret. Whoever holds the token ({@code ltj_<id>_<secret>}) may make a host a node:
 * the node manager gives that host's agent a Kafka identity of its own ({@link NodeCommands#JOIN}).
 * Revoking keeps the record (marked) so that an initial token is not made again at the next start.
 *
 * @param expiresAt null: never
 */
public record JoinToken(String id, String name, String sha256, Instant createdAt, String createdBy, Instant expiresAt,
                        boolean revoked) {
    public static final String KIND = "join-token";
    public static final String PREFIX = "ltj_";
    /** The token {@code lattice up} makes on first start and keeps in {@code DATA/join-token}. */
    public static final String INITIAL = "initial";

    public boolean usableAt(Instant now) {
        return !revoked && (expiresAt == null || expiresAt.isAfter(now));
    }

    /** What the API shows of a token: everything but its hash. */
    public Info info() {
        return new Info(id, name, createdAt, createdBy, expiresAt, revoked);
    }

    public record Info(String id, String name, Instant createdAt, String createdBy, Instant expiresAt, boolean revoked) {}
}
