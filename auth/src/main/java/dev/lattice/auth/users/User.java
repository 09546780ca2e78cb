package dev.lattice.auth.users;

import dev.lattice.core.Role;
import java.time.Instant;

/** A user as stored on {@code lattice.state.user}; only the auth service reads the hash. */
public record User(String username, Role role, String passwordHash, Instant createdAt) {
    public static final String KIND = "user";
}
