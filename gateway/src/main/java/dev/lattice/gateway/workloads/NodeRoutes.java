package dev.lattice.gateway.workloads;

import dev.lattice.gateway.http.Forwarding;
import dev.lattice.bus.Bus;
import dev.lattice.bus.rpc.RequestClient;
import dev.lattice.core.Json;
import dev.lattice.core.LatticeException;
import dev.lattice.core.Principal;
import dev.lattice.gateway.http.Access;
import dev.lattice.gateway.http.Bodies;
import dev.lattice.gateway.http.EventStream;
import dev.lattice.gateway.http.Paging;
import dev.lattice.gateway.http.RecentRecords;
import dev.lattice.gateway.http.Route;
import dev.lattice.workloads.Event;
import dev.lattice.workloads.Events;
import dev.lattice.workloads.JoinToken;
import dev.lattice.workloads.Node;
import dev.lattice.workloads.NodeCommands;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;

/**
 * Nodes (status and live load), drain and undrain through the node manager, remote Docker servers
 * added and nodes removed, join tokens and hosts joining with them, and the platform's events.
 */
public final class NodeRoutes implements AutoCloseable {
    private static final int EVENTS_KEPT = 1000;
    private final RequestClient client;
    private final WorkloadViews views;
    /** The newest events, for GET /api/v1/events and its stream. */
    private final RecentRecords<Event> events;
    private final Bodies bodies;

    /** Follows the events topic through {@code bus}. */
    public NodeRoutes(RequestClient client, WorkloadViews views, Bus bus, Bodies bodies) {
        this.client = client;
        this.views = views;
        this.bodies = bodies;
        this.events = new RecentRecords<>(bus, Events.TOPIC, Event.class, EVENTS_KEPT);
    }

    public List<Route> routes() {
        return List.of(
                Route.get("/api/v1/nodes", DeploymentRoutes.READ, (ctx, p) -> ctx.json(Paging.page(ctx, views.nodes()))),
                Route.post("/api/v1/nodes/join-tokens", DeploymentRoutes.WRITE, this::createJoinToken),
                Route.get("/api/v1/nodes/join-tokens", DeploymentRoutes.WRITE, (ctx, p) -> ctx.json(
                        client.call(NodeCommands.SERVICE, NodeCommands.LIST_JOIN_TOKENS, Map.of(), p, Forwarding.credential(ctx), JoinToken.Info[].class))),
                Route.delete("/api/v1/nodes/join-tokens/{id}", DeploymentRoutes.WRITE, (ctx, p) -> {
                    client.call(NodeCommands.SERVICE, NodeCommands.REVOKE_JOIN_TOKEN, new NodeCommands.JoinTokenId(ctx.pathParam("id")), p, Forwarding.credential(ctx),
                            JoinToken.Info.class);
                    ctx.status(204);
                }),
                // The join token in the body is the credential: the agent of a new host has no user.
                Route.post("/api/v1/nodes/join", Access.PUBLIC, (ctx, p) -> ctx.json(client.call(NodeCommands.SERVICE, NodeCommands.JOIN,
                        bodies.json(ctx, NodeCommands.JoinRequest.class), p, Forwarding.credential(ctx), NodeCommands.Joined.class))),
                // A remote Docker server becomes a node: its TLS key goes to the node manager, never back out.
                Route.post("/api/v1/nodes", DeploymentRoutes.WRITE, (ctx, p) -> ctx.status(201).json(client.call(NodeCommands.SERVICE,
                        NodeCommands.ADD_DOCKER_NODE, bodies.json(ctx, NodeCommands.NewDockerNode.class), p, Forwarding.credential(ctx), NodeCommands.DockerNodeInfo.class))),
                Route.get("/api/v1/nodes/{name}", DeploymentRoutes.READ, (ctx, p) -> ctx.json(views.nodes().stream()
                        .filter(n -> n.name().equals(ctx.pathParam("name"))).findFirst()
                        .orElseThrow(() -> LatticeException.notFound("nodes:not-found", "node '" + ctx.pathParam("name") + "' does not exist")))),
                Route.delete("/api/v1/nodes/{name}", DeploymentRoutes.WRITE, (ctx, p) -> drain(ctx, p, NodeCommands.REMOVE_NODE)),
                Route.post("/api/v1/nodes/{name}/drain", DeploymentRoutes.WRITE, (ctx, p) -> drain(ctx, p, NodeCommands.DRAIN)),
                Route.post("/api/v1/nodes/{name}/undrain", DeploymentRoutes.WRITE, (ctx, p) -> drain(ctx, p, NodeCommands.UNDRAIN)),
                Route.get("/api/v1/events", DeploymentRoutes.READ, (ctx, p) -> ctx.json(Paging.page(ctx, events.newestFirst(e -> true, EVENTS_KEPT)))),
                Route.get("/api/v1/events/stream", DeploymentRoutes.READ, (ctx, p) ->
                        EventStream.serve(ctx, "event", sink -> events.subscribe(e -> sink.accept(Json.string(e))))));
    }

    void createJoinToken(Context ctx, Principal principal) {
        byte[] raw = bodies.bytes(ctx); // an empty body: a token without name or expiry
        var body = raw.length == 0 ? new NodeCommands.NewJoinToken(null, null) : Json.parse(raw, NodeCommands.NewJoinToken.class);
        ctx.status(201).json(client.call(NodeCommands.SERVICE, NodeCommands.CREATE_JOIN_TOKEN, body, principal, Forwarding.credential(ctx),
                NodeCommands.IssuedJoinToken.class));
    }

    void drain(Context ctx, Principal principal, String command) {
        Node node = client.call(NodeCommands.SERVICE, command, new NodeCommands.NodeName(ctx.pathParam("name")), principal, Forwarding.credential(ctx), Node.class);
        ctx.status(202).json(node);
    }

    @Override
    public void close() {
        events.close();
    }
}
