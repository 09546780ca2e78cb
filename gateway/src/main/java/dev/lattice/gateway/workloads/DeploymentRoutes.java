package dev.lattice.gateway.workloads;

import dev.lattice.gateway.http.Forwarding;
import dev.lattice.bus.rpc.RequestClient;
import dev.lattice.core.LatticeException;
import dev.lattice.core.Principal;
import dev.lattice.core.Role;
import dev.lattice.gateway.http.Access;
import dev.lattice.gateway.http.Bodies;
import dev.lattice.gateway.http.Paging;
import dev.lattice.gateway.http.Route;
import dev.lattice.workloads.AgentCommands;
import dev.lattice.workloads.DeployerCommands;
import dev.lattice.workloads.Deployment;
import dev.lattice.workloads.Resources;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Deployments (written through the deployer) and workloads (read from the views; logs from the
 * agent of the workload's node). Admins write; platform configurers read too (API.md).
 */
public final class DeploymentRoutes {
    static final Access READ = Access.roles(Role.ADMIN, Role.PLATFORM_CONFIGURER);
    static final Access WRITE = Access.roles(Role.ADMIN);
    private static final int DEFAULT_TAIL = 100;

    private final RequestClient client;
    private final WorkloadViews views;
    private final Bodies bodies;

    public DeploymentRoutes(RequestClient client, WorkloadViews views, Bodies bodies) {
        this.client = client;
        this.views = views;
        this.bodies = bodies;
    }

    /**
     * {@code POST /api/v1/deployments}: what a user may ask for (the kind is always {@code custom}).
     * Beyond API.md: {@code artefact} {@code {"sha256","fileName"}} names a file uploaded with
     * {@code POST /api/v1/artefacts}; the agent downloads and verifies it into the workload's folder first.
     */
    record DeploymentBody(String name, List<String> command, String image, Integer replicas, Resources resources,
                          String node, Map<String, String> env, dev.lattice.workloads.WorkloadSpec.Artefact artefact) {}

    public List<Route> routes() {
        return List.of(
                Route.post("/api/v1/deployments", WRITE, this::create),
                Route.get("/api/v1/deployments", READ, (ctx, p) -> ctx.json(Paging.page(ctx, views.deployments()))),
                Route.get("/api/v1/deployments/{name}", READ, (ctx, p) -> ctx.json(views.deployment(ctx.pathParam("name")))),
                Route.delete("/api/v1/deployments/{name}", WRITE, this::delete),
                Route.get("/api/v1/workloads", READ, this::workloads),
                Route.get("/api/v1/workloads/{id}", READ, (ctx, p) -> ctx.json(views.workload(ctx.pathParam("id")))),
                Route.get("/api/v1/workloads/{id}/logs", READ, this::logs));
    }

    void create(Context ctx, Principal principal) {
        DeploymentBody b = bodies.json(ctx, DeploymentBody.class);
        var command = new DeployerCommands.Create(b.name(), Deployment.CUSTOM, b.command(), b.image(), b.replicas(),
                b.resources(), b.node(), b.env(), b.artefact());
        Deployment d = client.call(DeployerCommands.SERVICE, DeployerCommands.CREATE, command, principal, Forwarding.credential(ctx), Deployment.class);
        ctx.status(201).header("Location", "/api/v1/deployments/" + d.name()).json(WorkloadViews.view(d, List.of()));
    }

    void delete(Context ctx, Principal principal) {
        client.call(DeployerCommands.SERVICE, DeployerCommands.DELETE, new DeployerCommands.Delete(ctx.pathParam("name")),
                principal, Forwarding.credential(ctx), Map.class);
        ctx.status(204);
    }

    void workloads(Context ctx, Principal principal) {
        String deployment = ctx.queryParam("deployment");
        String node = ctx.queryParam("node");
        ctx.json(Paging.page(ctx, views.workloads().stream()
                .filter(w -> deployment == null || deployment.equals(w.deployment()))
                .filter(w -> node == null || node.equals(w.node()))
                .toList()));
    }

    void logs(Context ctx, Principal principal) {
        var w = views.workload(ctx.pathParam("id"));
        if (w.node() == null) throw LatticeException.notFound("workloads:no-logs", "workload '" + w.id() + "' has not run yet");
        ctx.contentType("text/plain; charset=utf-8").result(tail(client, w.node(), w.id(), ctx, principal));
    }

    /**
     * The last {@code ?tail=N} lines (default {@value #DEFAULT_TAIL}) of a workload's log, from the agent
     * of its node, asked for {@code principal} with the credential the request came with.
     */
    public static String tail(RequestClient client, String node, String workloadId, Context ctx, Principal principal) {
        int tail = DEFAULT_TAIL;
        String t = ctx.queryParam("tail");
        if (t != null) {
            try {
                tail = Integer.parseInt(t);
            } catch (NumberFormatException e) {
                throw LatticeException.badRequest("workloads:tail", "tail: a number of lines, 1.." + AgentCommands.MAX_TAIL);
            }
        }
        return client.call(AgentCommands.service(node), AgentCommands.LOGS, new AgentCommands.Logs(workloadId, tail),
                principal, Forwarding.credential(ctx), AgentCommands.LogText.class, Duration.ofSeconds(5)).text();
    }
}
