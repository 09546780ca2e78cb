package dev.lattice.gateway.users;

import dev.lattice.api.auth.ApiKey;
import dev.lattice.api.auth.AuthCommands;
import dev.lattice.api.auth.AuthCommands.ApiKeyId;
import dev.lattice.api.auth.AuthCommands.IssuedApiKey;
import dev.lattice.api.auth.AuthCommands.NewApiKey;
import dev.lattice.bus.rpc.RequestClient;
import dev.lattice.core.Principal;
import dev.lattice.gateway.http.Access;
import dev.lattice.gateway.http.Authenticator;
import dev.lattice.gateway.http.Bodies;
import dev.lattice.gateway.http.Paging;
import dev.lattice.gateway.http.Route;
import io.javalin.http.Context;
import java.util.Arrays;
import java.util.List;

/** {@code /api/v1/api-keys}: any user makes, lists and deletes their own keys; an admin sees and deletes all. */
public final class ApiKeyRoutes {
    private final RequestClient auth;
    private final Bodies bodies;

    public ApiKeyRoutes(RequestClient auth, Bodies bodies) {
        this.auth = auth;
        this.bodies = bodies;
    }

    public List<Route> routes() {
        return List.of(
                Route.post("/api/v1/api-keys", Access.ANY_ROLE, this::create),
                Route.get("/api/v1/api-keys", Access.ANY_ROLE, this::list),
                Route.delete("/api/v1/api-keys/{id}", Access.ANY_ROLE, this::delete));
    }

    void create(Context ctx, Principal principal) {
        NewApiKey in = bodies.json(ctx, NewApiKey.class);
        ctx.status(201).json(auth.call(AuthCommands.SERVICE, AuthCommands.CREATE_API_KEY, in, principal, Authenticator.credential(ctx), IssuedApiKey.class));
    }

    void list(Context ctx, Principal principal) {
        ApiKey.Info[] keys = auth.call(AuthCommands.SERVICE, AuthCommands.LIST_API_KEYS, null, principal, Authenticator.credential(ctx), ApiKey.Info[].class);
        ctx.json(Paging.page(ctx, Arrays.asList(keys)));
    }

    void delete(Context ctx, Principal principal) {
        auth.call(AuthCommands.SERVICE, AuthCommands.DELETE_API_KEY, new ApiKeyId(ctx.pathParam("id")), principal, Authenticator.credential(ctx), ApiKey.Info.class);
        ctx.status(204);
    }
}
