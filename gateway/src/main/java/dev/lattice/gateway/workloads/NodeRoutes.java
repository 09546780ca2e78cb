package dev.lattice.gateway.workloads;

import dev.lattice.bus.Bus;
import dev.lattice.bus.rpc.RequestClient;
import dev.lattice.core.Json;
import dev.lattice.core.Principal;
import dev.lattice.gateway.http.EventStream;
import dev.lattice.gateway.http.Paging;
import dev.lattice.gateway.http.Route;
import dev.lattice.workloads.Node;
import dev.lattice.workloads.NodeCommands;
import io.javalin.http.Context;
import java.util.List;

/** Nodes (status and live load), drain and undrain through the node manager, and the platform's events. */
public final class NodeRoutes implements AutoCloseable {
    private final RequestClient client;
    private final WorkloadViews views;
    private final EventsFeed events;

    /** Follows the events topic through {@code bus}. */
    public NodeRoutes(RequestClient client, WorkloadViews views, Bus bus) {
        this.client = client;
        this.views = views;
        this.events = new EventsFeed(bus, 1000);
    }

    public List<Route> routes() {
        return List.of(
                Route.get("/api/v1/nodes", DeploymentRoutes.READ, (ctx, p) -> ctx.json(Paging.page(ctx, views.nodes()))),
                Route.post("/api/v1/nodes/{name}/drain", DeploymentRoutes.WRITE, (ctx, p) -> drain(ctx, p, NodeCommands.DRAIN)),
                Route.post("/api/v1/nodes/{name}/undrain", DeploymentRoutes.WRITE, (ctx, p) -> drain(ctx, p, NodeCommands.UNDRAIN)),
                Route.get("/api/v1/events", DeploymentRoutes.READ, (ctx, p) -> ctx.json(Paging.page(ctx, events.newestFirst()))),
                Route.get("/api/v1/events/stream", DeploymentRoutes.READ, (ctx, p) ->
                        EventStream.serve(ctx, "event", sink -> events.subscribe(e -> sink.accept(Json.string(e))))));
    }

    void drain(Context ctx, Principal principal, String command) {
        Node node = client.call(NodeCommands.SERVICE, command, new NodeCommands.NodeName(ctx.pathParam("name")), principal, Node.class);
        ctx.status(202).json(node);
    }

    @Override
    public void close() {
        events.close();
    }
}
