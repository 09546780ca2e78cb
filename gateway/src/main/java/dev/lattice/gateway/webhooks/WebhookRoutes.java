package dev.lattice.gateway.webhooks;

import dev.lattice.gateway.http.Forwarding;
import dev.lattice.api.monitor.MonitorCommands;
import dev.lattice.api.monitor.MonitorCommands.NewWebhook;
import dev.lattice.api.monitor.MonitorCommands.WebhookId;
import dev.lattice.api.monitor.Webhook;
import dev.lattice.api.monitor.WebhookDelivery;
import dev.lattice.bus.rpc.RequestClient;
import dev.lattice.bus.state.StateView;
import dev.lattice.bus.state.Versioned;
import dev.lattice.core.LatticeException;
import dev.lattice.core.Principal;
import dev.lattice.core.Role;
import dev.lattice.gateway.http.Access;
import dev.lattice.gateway.http.Bodies;
import dev.lattice.gateway.http.Paging;
import dev.lattice.gateway.http.Route;
import io.javalin.http.Context;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * {@code /api/v1/webhooks} (admin): create, list and delete go to the monitor, which owns webhooks;
 * deliveries are read from this gateway's view of them, newest event first.
 */
public final class WebhookRoutes {
    private static final Access ADMIN = Access.roles(Role.ADMIN);
    private final RequestClient client;
    private final StateView<WebhookDelivery> deliveries;
    private final Bodies bodies;

    public WebhookRoutes(RequestClient client, StateView<WebhookDelivery> deliveries, Bodies bodies) {
        this.client = client;
        this.deliveries = deliveries;
        this.bodies = bodies;
    }

    public List<Route> routes() {
        return List.of(
                Route.post("/api/v1/webhooks", ADMIN, this::create),
                Route.get("/api/v1/webhooks", ADMIN, this::list),
                Route.delete("/api/v1/webhooks/{id}", ADMIN, this::delete),
                Route.get("/api/v1/webhooks/{id}/deliveries", ADMIN, this::deliveries));
    }

    void create(Context ctx, Principal principal) {
        NewWebhook in = bodies.json(ctx, NewWebhook.class);
        ctx.status(201).json(client.call(MonitorCommands.SERVICE, MonitorCommands.CREATE_WEBHOOK, in, principal, Forwarding.credential(ctx), Webhook.Info.class));
    }

    void list(Context ctx, Principal principal) {
        ctx.json(Paging.page(ctx, Arrays.asList(all(ctx, principal))));
    }

    void delete(Context ctx, Principal principal) {
        client.call(MonitorCommands.SERVICE, MonitorCommands.DELETE_WEBHOOK, new WebhookId(ctx.pathParam("id")), principal, Forwarding.credential(ctx), Webhook.Info.class);
        ctx.status(204);
    }

    void deliveries(Context ctx, Principal principal) {
        String id = ctx.pathParam("id");
        if (Arrays.stream(all(ctx, principal)).noneMatch(h -> h.id().equals(id))) {
            throw LatticeException.notFound("monitor:webhook.not-found", "webhook '" + id + "' does not exist");
        }
        List<WebhookDelivery> mine = deliveries.list().stream().map(Versioned::value).filter(d -> d.webhook().equals(id))
                .sorted(Comparator.comparingLong(WebhookDelivery::offset).reversed()).toList();
        ctx.json(Paging.page(ctx, mine));
    }

    private Webhook.Info[] all(Context ctx, Principal principal) {
        return client.call(MonitorCommands.SERVICE, MonitorCommands.LIST_WEBHOOKS, null, principal, Forwarding.credential(ctx), Webhook.Info[].class);
    }
}
