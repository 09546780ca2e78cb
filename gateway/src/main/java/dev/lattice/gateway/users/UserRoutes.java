package dev.lattice.gateway.users;

import dev.lattice.api.auth.AuthCommands.CreateUser;
import dev.lattice.api.auth.AuthCommands.Login;
import dev.lattice.api.auth.AuthCommands.LoginResponse;
import dev.lattice.api.auth.AuthCommands.UserSummary;
import dev.lattice.api.auth.AuthCommands;
import dev.lattice.bus.rpc.RequestClient;
import dev.lattice.core.Principal;
import dev.lattice.core.Role;
import dev.lattice.gateway.http.Access;
import dev.lattice.gateway.http.Authenticator;
import dev.lattice.gateway.http.Bodies;
import dev.lattice.gateway.http.Paging;
import dev.lattice.gateway.http.Route;
import io.javalin.http.Context;
import java.util.Arrays;
import java.util.List;

/** {@code /api/v1/auth/login}, {@code /api/v1/users} and {@code /api/v1/me}. */
public final class UserRoutes {
    private final RequestClient auth;
    private final Bodies bodies;

    public UserRoutes(RequestClient auth, Bodies bodies) {
        this.auth = auth;
        this.bodies = bodies;
    }

    public List<Route> routes() {
        return List.of(
                Route.post("/api/v1/auth/login", Access.PUBLIC, this::login),
                Route.post("/api/v1/users", Access.roles(Role.ADMIN), this::create),
                Route.get("/api/v1/users", Access.roles(Role.ADMIN), this::list),
                Route.get("/api/v1/me", Access.ANY_ROLE, this::me));
    }

    void login(Context ctx, Principal anonymous) {
        Login login = bodies.json(ctx, Login.class);
        ctx.attribute(dev.lattice.gateway.audit.Auditor.CLAIMED_USER, login.username());
        ctx.json(auth.call(AuthCommands.SERVICE, AuthCommands.LOGIN, login, anonymous, LoginResponse.class));
    }

    void create(Context ctx, Principal principal) {
        CreateUser create = bodies.json(ctx, CreateUser.class);
        UserSummary created = auth.call(AuthCommands.SERVICE, AuthCommands.CREATE_USER, create, principal, Authenticator.credential(ctx), UserSummary.class);
        ctx.status(201).json(created);
    }

    void list(Context ctx, Principal principal) {
        UserSummary[] users = auth.call(AuthCommands.SERVICE, AuthCommands.LIST_USERS, null, principal, Authenticator.credential(ctx), UserSummary[].class);
        ctx.json(Paging.page(ctx, Arrays.asList(users)));
    }

    void me(Context ctx, Principal principal) {
        ctx.json(new UserSummary(principal.name(), principal.role()));
    }
}
