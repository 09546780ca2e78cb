package dev.lattice.gateway.models;

import dev.lattice.api.models.ModelCommands;
import dev.lattice.api.models.ModelDeployment;
import dev.lattice.bus.rpc.RequestClient;
import dev.lattice.core.LatticeException;
import dev.lattice.core.PlatformServices;
import dev.lattice.core.Principal;
import dev.lattice.core.AppScope;
import dev.lattice.gateway.http.Access;
import dev.lattice.gateway.http.Route;
import dev.lattice.gateway.workloads.WorkloadViews;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
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

    /** Answers say which version answered: a canary's share can be told apart. */
    public static final String VERSION_HEADER = "Lattice-Model-Version";

    private final ModelViews views;
    private final RequestClient client;
    private final ReplicaClient http = new ReplicaClient(ReplicaClient.seconds(2), ReplicaClient.seconds(30));
    private final AtomicInteger turn = new AtomicInteger();

    /** @param client to roll back a failing canary, as the gateway itself (its one command to the models service) */
    public InferenceRoutes(ModelViews views, RequestClient client) {
        this.views = views;
        this.client = client;
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
        byte[] body = ctx.method().name().equals("POST") ? ctx.bodyAsBytes() : null;
        Answered answer = call(ctx.pathParam("name"), path, body, ctx.queryString());
        ctx.status(answer.status());
        String version = answer.version();
        if (version != null) ctx.header(VERSION_HEADER, version);
        if (answer.contentType() != null) ctx.contentType(answer.contentType());
        ctx.result(answer.body());
    }

    /**
     * One call to a replica of model {@code name} (the canary's share to the canary, a second
     * replica tried when the first is unreachable or stopping), counted in its traffic.
     *
     * @throws LatticeException 503 when no replica is ready or none answered, 404 for an unknown model
     */
    Answered call(String name, String path, byte[] body, String query) throws IOException {
        long start = System.nanoTime();
        Optional<ModelDeployment> deployment = views.deployment(name);
        List<WorkloadViews.Replica> ready = choose(name, deployment.orElse(null));
        if (ready.isEmpty()) {
            known(name);
            throw LatticeException.unavailable("models:not-ready", "model '" + name + "' has no ready replica"
                    + (views.status(name) == null ? ": deploy it first" : " (status " + views.status(name) + "): try again shortly"));
        }
        int first = Math.floorMod(turn.getAndIncrement(), ready.size());
        Answered answer;
        try {
            answer = send(ready.get(first), path, body, query);
            if (answer.status() == 503 && ready.size() > 1) answer = send(ready.get((first + 1) % ready.size()), path, body, query);
        } catch (IOException e) {
            if (ready.size() < 2) {
                count(deployment, ready.get(first), true, start);
                throw unreachable(name, e);
            }
            WorkloadViews.Replica other = ready.get((first + 1) % ready.size());
            log.debug("replica {} of {} failed ({}); retrying on {}", ready.get(first).id(), name, e.toString(), other.id());
            try {
                answer = send(other, path, body, query);
            } catch (IOException again) {
                count(deployment, ready.get(first), true, start);
                throw unreachable(name, again);
            }
        }
        count(deployment, answer.replica(), answer.status() >= 500, start);
        return answer;
    }

    /**
     * The replicas to ask: with a canary, its own with a probability of its weight (when it has a
     * ready one), else the model's; a model with none ready but a ready canary is served by that.
     */
    private List<WorkloadViews.Replica> choose(String name, ModelDeployment d) {
        List<WorkloadViews.Replica> main = views.ready(name);
        if (d == null || d.canary() == null) return main;
        List<WorkloadViews.Replica> canary = views.readyCanary(name);
        if (canary.isEmpty()) return main;
        if (main.isEmpty() || ThreadLocalRandom.current().nextInt(100) < d.canary().weight()) return canary;
        return main;
    }

    /** Counts the call for the model's traffic, and rolls a canary back once its error rate passed its threshold. */
    private void count(Optional<ModelDeployment> deployment, WorkloadViews.Replica replica, boolean error, long start) {
        if (deployment.isEmpty()) return;
        ModelDeployment d = deployment.get();
        Traffic traffic = views.traffic();
        traffic.record(d, replica.env().get(ModelViews.VERSION_ENV), error, System.nanoTime() - start);
        if (!error || !traffic.canaryFailing(d)) return;
        String reason = "the canary's error rate passed " + d.canary().maxErrorRate() + " after " + d.canary().minRequests() + "+ calls";
        log.warn("model {}: canary {} failing ({}): rolling it back", d.name(), d.canary().version(), reason);
        Thread.ofVirtual().name("canary-rollback").start(() -> {
            try {
                client.call(ModelCommands.SERVICE, ModelCommands.ROLLBACK, new ModelCommands.EndCanary(d.name(), reason),
                        Principal.service(PlatformServices.GATEWAY), Map.class);
            } catch (RuntimeException e) {
                log.warn("model {}: rolling canary {} back failed: {}", d.name(), d.canary().version(), e.getMessage());
            }
        });
    }

    /** A replica's answer, and which replica gave it. */
    record Answered(int status, String contentType, byte[] body, WorkloadViews.Replica replica) {
        /** The model version that answered. */
        String version() {
            return replica.env().get(ModelViews.VERSION_ENV);
        }
    }

    private Answered send(WorkloadViews.Replica replica, String path, byte[] body, String query) throws IOException {
        String uri = replica.address() + path + (query == null ? "" : "?" + query);
        ReplicaClient.Answer a = http.send(uri, body, replica.env().get(SERVE_KEY_ENV));
        return new Answered(a.status(), a.contentType(), a.body(), replica);
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
