package dev.lattice.gateway.models;

import dev.lattice.core.LatticeException;
import dev.lattice.core.Principal;
import dev.lattice.core.AppScope;
import dev.lattice.gateway.http.Access;
import dev.lattice.gateway.http.Route;
import dev.lattice.gateway.workloads.WorkloadViews;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Inference through the gateway: {@code POST /api/v1/models/{name}/predict} and the Open
 * Inference Protocol (V2) routes, each passed byte for byte to a ready replica of the model's
 * server (straight over HTTP, never through Kafka: DESIGN.md). Replicas take turns
 * (round-robin); when a call to one fails to connect or breaks off — a replica that just crashed,
 * or one being replaced — it is retried once on another, which is safe because inference has no
 * side effects. 503 while no replica is ready.
 */
public final class InferenceRoutes implements AutoCloseable {
    /** Any role, and an app instance whose config names the model. */
    private static final Access CALL = Access.ANY_ROLE.orApp(AppScope.Target.MODEL, "name");

    private static final Logger log = LoggerFactory.getLogger(InferenceRoutes.class);
    /** The replica's key, which its server wants from every caller (models' ModelServerSpec). */
    static final String SERVE_KEY_ENV = "LATTICE_SERVE_KEY";

    private final ModelViews views;
    private final ReplicaClient http = new ReplicaClient(ReplicaClient.seconds(2), ReplicaClient.seconds(30));
    private final AtomicInteger turn = new AtomicInteger();

    public InferenceRoutes(ModelViews views) {
        this.views = views;
    }

    public List<Route> routes() {
        return List.of(
                Route.post("/api/v1/models/{name}/predict", CALL, (ctx, p) -> proxy(ctx, p, "/predict")),
                Route.get("/v2/health/live", Access.PUBLIC, (ctx, p) -> ctx.json(Map.of("live", true))),
                Route.get("/v2/health/ready", Access.PUBLIC, (ctx, p) -> ctx.json(Map.of("ready", true))),
                Route.get("/v2/models/{name}", CALL, (ctx, p) -> proxy(ctx, p, ctx.path())),
                Route.get("/v2/models/{name}/ready", CALL, this::ready),
                Route.post("/v2/models/{name}/infer", CALL, (ctx, p) -> proxy(ctx, p, ctx.path())),
                Route.get("/v2/models/{name}/versions/{version}", CALL, (ctx, p) -> proxy(ctx, p, ctx.path())),
                Route.post("/v2/models/{name}/versions/{version}/infer", CALL, (ctx, p) -> proxy(ctx, p, ctx.path())));
    }

    /** V2 model readiness, answered here: ready when a replica is. */
    private void ready(Context ctx, Principal principal) {
        String name = ctx.pathParam("name");
        known(name);
        boolean ready = !views.ready(name).isEmpty();
        ctx.status(ready ? 200 : 503).json(Map.of("name", name, "ready", ready));
    }

    private void proxy(Context ctx, Principal principal, String path) throws IOException {
        String name = ctx.pathParam("name");
        List<WorkloadViews.Replica> ready = views.ready(name);
        if (ready.isEmpty()) {
            known(name);
            throw LatticeException.unavailable("models:not-ready", "model '" + name + "' has no ready replica"
                    + (views.status(name) == null ? ": deploy it first" : " (status " + views.status(name) + "): try again shortly"));
        }
        byte[] body = ctx.method().name().equals("POST") ? ctx.bodyAsBytes() : null;
        int first = Math.floorMod(turn.getAndIncrement(), ready.size());
        ReplicaClient.Answer answer;
        try {
            answer = send(ready.get(first), path, body, ctx.queryString());
            if (answer.status() == 503 && ready.size() > 1) answer = send(ready.get((first + 1) % ready.size()), path, body, ctx.queryString());
        } catch (IOException e) {
            if (ready.size() < 2) throw unreachable(name, e);
            WorkloadViews.Replica other = ready.get((first + 1) % ready.size());
            log.debug("replica {} of {} failed ({}); retrying on {}", ready.get(first).id(), name, e.toString(), other.id());
            try {
                answer = send(other, path, body, ctx.queryString());
            } catch (IOException again) {
                throw unreachable(name, again);
            }
        }
        ctx.status(answer.status());
        if (answer.contentType() != null) ctx.contentType(answer.contentType());
        ctx.result(answer.body());
    }

    private ReplicaClient.Answer send(WorkloadViews.Replica replica, String path, byte[] body, String query) throws IOException {
        String uri = replica.address() + path + (query == null ? "" : "?" + query);
        return http.send(uri, body, replica.env().get(SERVE_KEY_ENV));
    }

    /** Closes the connections to the replicas (and the pool's evictor thread). */
    @Override
    public void close() {
        http.close();
    }

    private void known(String name) {
        if (!views.exists(name)) throw LatticeException.notFound("models:not-found", "model '" + name + "' does not exist");
    }

    private static LatticeException unreachable(String name, IOException e) {
        return new LatticeException("models:replica.unreachable", 503, "no replica of model '" + name + "' answered ("
                + e.getMessage() + "): try again shortly", e);
    }
}
