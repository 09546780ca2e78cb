package dev.lattice.api.auth;

import dev.lattice.core.Names;
import dev.lattice.core.Role;
import java.time.Instant;

/** The commands the auth service answers on {@code lattice.requests.auth}, and their messages. */
public final class AuthCommands {
    public static final String SERVICE = "auth";
    public static final String LOGIN = "login";
    public static final String CREATE_USER = "create-user";
    public static final String LIST_USERS = "list-users";
    public static final String CREATE_API_KEY = "create-api-key";
    public static final String LIST_API_KEYS = "list-api-keys";
    public static final String DELETE_API_KEY = "delete-api-key";
    /**
     * Sent with an API key as the credential: answers an {@link Assertion} of the key's principal,
     * which the gateway forwards to services instead of the key itself.
     */
    public static final String ASSERT = "assert";
    /** How long an assertion holds: what a leaked one is worth, and how often the gateway asks again per key. */
    public static final java.time.Duration ASSERTION_TTL = java.time.Duration.ofMinutes(5);
    /** A key lives 90 days unless it says otherwise, and at most a year: a forgotten key does not live for ever. */
    public static final java.time.Duration API_KEY_DEFAULT_TTL = java.time.Duration.ofDays(90);
    public static final java.time.Duration API_KEY_MAX_TTL = java.time.Duration.ofDays(366);

    /** Password length bounds: at least 8 (NIST SP 800-63B), at most 1024 to bound hashing work. */
    public static final int MIN_PASSWORD = 8;
    public static final int MAX_PASSWORD = 1024;

    private AuthCommands() {}

    public record Login(String username, String password) {
        public Login {
            Names.requirePresent("username", username);
            Names.requirePresent("password", password);
        }
    }

    public record LoginResponse(String token, Role role, Instant expiresAt) {}

    /** A signed statement of whom a request acts for (see {@link TokenVerifier#verifyForwarded}). */
    public record Assertion(String token, Instant expiresAt) {}

    public record CreateUser(String username, String password, Role role) {
        public CreateUser {
            Names.requireUsername("username", username);
            Names.requirePresent("password", password);
            Names.requirePresent("role", role);
            if (password.length() < MIN_PASSWORD || password.length() > MAX_PASSWORD) {
                throw dev.lattice.core.LatticeException.badRequest("auth:password.length",
                        "password: must be " + MIN_PASSWORD + " to " + MAX_PASSWORD + " characters");
            }
        }
    }

    /** {@code POST /api/v1/api-keys}: role null means the caller's own; expiresAt null means {@link #API_KEY_DEFAULT_TTL}. */
    public record NewApiKey(String name, Role role, Instant expiresAt) {
        public NewApiKey {
            Names.requireName("name", name);
        }
    }

    /** The answer to a create: the key itself, shown this once. */
    public record IssuedApiKey(String id, String key, String name, Role role, Instant expiresAt) {}

    public record ApiKeyId(String id) {}

    /** A user as others may see it: never the hash. */
    public record UserSummary(String username, Role role) {}
}
