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

    /** A user as others may see it: never the hash. */
    public record UserSummary(String username, Role role) {}
}
