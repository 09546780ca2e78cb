package dev.lattice.gateway.users;

import dev.lattice.api.auth.ApiKey;
import dev.lattice.api.auth.AuthCommands;
import dev.lattice.api.auth.AuthCommands.ApiKeyId;
import dev.lattice.api.auth.AuthCommands.IssuedApiKey;
import dev.lattice.api.auth.AuthCommands.NewApiKey;
import dev.lattice.bus.rpc.RequestClient;
import dev.lattice.bus.state.StateView;
import dev.lattice.core.Principal;
import dev.lattice.gateway.http.Access;
import dev.lattice.gateway.http.Authenticator;
import dev.lattice.gateway.http.Bodies;
import dev.lattice.gateway.http.Paging;
import dev.lattice.gateway.http.Route;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/** {@code /api/v1/api-keys}: any user makes, lists and deletes their own keys; an admin sees and deletes all. */
public final class ApiKeyRoutes {
    /**
     * How long an answer waits for this gateway's view of the keys to show the change: auth answers
     * once the key is on its topic, and a key used the next millisecond must be known (a 201 for a
     * key this gateway would refuse), a deleted one refused (a 204 for a key it would still take).
     */
    private static final Duration READ_YOUR_WRITE = Duration.ofSeconds(2);
    private final RequestClient auth;
    private final StateView<ApiKey> keys;
    private final Bodies bodies;

    public ApiKeyRoutes(RequestClient auth, StateView<ApiKey> keys, Bodies bodies) {
        this.auth = auth;
        this.keys = keys;
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
        IssuedApiKey issued = auth.call(AuthCommands.SERVICE, AuthCommands.CREATE_API_KEY, in, principal, Authenticator.credential(ctx), IssuedApiKey.class);
        keys.awaitPresent(issued.id(), READ_YOUR_WRITE);
        ctx.status(201).json(issued);
    }

    void list(Context ctx, Principal principal) {
        ApiKey.Info[] keys = auth.call(AuthCommands.SERVICE, AuthCommands.LIST_API_KEYS, null, principal, Authenticator.credential(ctx), ApiKey.Info[].class);
        ctx.json(Paging.page(ctx, Arrays.asList(keys)));
    }

    void delete(Context ctx, Principal principal) {
        String id = ctx.pathParam("id");
        auth.call(AuthCommands.SERVICE, AuthCommands.DELETE_API_KEY, new ApiKeyId(id), principal, Authenticator.credential(ctx), ApiKey.Info.class);
        keys.awaitAbsent(id, READ_YOUR_WRITE);
        ctx.status(204);
    }
}
