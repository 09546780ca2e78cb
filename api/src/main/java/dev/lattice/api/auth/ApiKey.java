package dev.lattice.api.auth;

import dev.lattice.core.Role;
import java.time.Instant;

/**
 * An API key as the auth service keeps it (kind {@value #KIND}): only the SHA-256 of the key, never
 * the key. A key ({@code ltk_<id>_<secret>}) is a bearer token for scripts and CI: it acts as its
 * {@code owner} with its {@code role} (the owner's own, or any for an admin's key) until it expires
 * or is deleted. The gateway checks keys against its view of this kind, so a deleted key is refused
 * as soon as the deletion reaches that view.
 */
public record ApiKey(String id, String name, String owner, Role role, String sha256, Instant createdAt, Instant expiresAt) {
    public static final String KIND = "api-key";
    public static final String PREFIX = "ltk_";

    public boolean usableAt(Instant now) {
        return expiresAt.isAfter(now);
    }

    /** What the API shows of a key: everything but its hash. */
    public Info info() {
        return new Info(id, name, owner, role, createdAt, expiresAt);
    }

    public record Info(String id, String name, String owner, Role role, Instant createdAt, Instant expiresAt) {}
}
