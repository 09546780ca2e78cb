package dev.lattice.auth.users;

import dev.lattice.api.auth.AuthCommands.CreateUser;
import dev.lattice.api.auth.AuthCommands.Login;
import dev.lattice.api.auth.AuthCommands.LoginResponse;
import dev.lattice.api.auth.AuthCommands.UserSummary;
import dev.lattice.api.auth.AuthCommands;
import dev.lattice.auth.tokens.TokenIssuer;
import dev.lattice.bus.rpc.Handler;
import dev.lattice.bus.rpc.Request;
import dev.lattice.bus.state.StateOwner;
import dev.lattice.bus.state.Versioned;
import dev.lattice.core.LatticeException;
import dev.lattice.core.Role;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The user commands: one small handler each, all writes through the user kind's owner. */
public final class UserCommands {
    private static final Logger log = LoggerFactory.getLogger(UserCommands.class);

    private final StateOwner<User> users;
    private final TokenIssuer tokens;
    private final Clock clock;

    public UserCommands(StateOwner<User> users, TokenIssuer tokens, Clock clock) {
        this.users = users;
        this.tokens = tokens;
        this.clock = clock;
    }

    public Map<String, Handler> handlers() {
        return Map.of(
                AuthCommands.LOGIN, this::login,
                AuthCommands.CREATE_USER, this::createUser,
                AuthCommands.LIST_USERS, this::listUsers);
    }

    LoginResponse login(Request request) {
        Login login = request.payload(Login.class);
        User user = users.view().get(login.username()).map(Versioned::value).orElse(null);
        if (!Passwords.matches(login.password(), user == null ? null : user.passwordHash())) {
            throw new LatticeException("auth:bad-credentials", 401, "unknown user or wrong password");
        }
        return tokens.issue(user.username(), user.role());
    }

    UserSummary createUser(Request request) {
        request.require(Role.ADMIN);
        CreateUser create = request.payload(CreateUser.class);
        if (users.view().get(create.username()).isPresent()) throw taken(create.username());
        User user = new User(create.username(), create.role(), Passwords.hash(create.password()), clock.instant());
        try {
            users.create(user.username(), user, request.principal().name());
        } catch (LatticeException e) {
            throw e.status() == 409 ? taken(create.username()) : e;
        }
        log.info("user {} created with role {} by {}", user.username(), user.role().wireName(), request.principal().name());
        return new UserSummary(user.username(), user.role());
    }

    List<UserSummary> listUsers(Request request) {
        request.require(Role.ADMIN);
        return users.view().list().stream().map(v -> new UserSummary(v.value().username(), v.value().role())).toList();
    }

    /** Creates the first admin if there is no user at all; true if it did. */
    public boolean bootstrapAdmin(String password) {
        if (users.view().size() > 0) return false;
        try {
            users.create("admin", new User("admin", Role.ADMIN, Passwords.hash(password), clock.instant()), "auth");
            log.info("first start: created user admin");
            return true;
        } catch (LatticeException e) {
            if (e.status() == 409) return false; // another instance was quicker
            throw e;
        }
    }

    private static LatticeException taken(String username) {
        return LatticeException.conflict("auth:user.exists", "username: '" + username + "' is taken");
    }
}
