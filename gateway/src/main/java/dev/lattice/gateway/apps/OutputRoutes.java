package dev.lattice.gateway.apps;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lattice.api.apps.AppInstance;
import dev.lattice.api.apps.Output;
import dev.lattice.bus.feed.Writer;
import dev.lattice.core.AppScope;
import dev.lattice.core.Json;
import dev.lattice.core.LatticeException;
import dev.lattice.core.Principal;
import dev.lattice.core.Role;
import dev.lattice.gateway.http.Access;
import dev.lattice.gateway.http.Bodies;
import dev.lattice.gateway.http.EventStream;
import dev.lattice.gateway.http.Paging;
import dev.lattice.gateway.http.Route;
import dev.lattice.gateway.http.TopicFeed;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An app instance's outputs (API.md): the app posts a JSON object with its own token; its user
 * (and an admin, and the developer of the app) lists the newest or follows them as SSE. Outputs go
 * to {@code lattice.app-outputs} (key: the instance id) and are read back from the feed, which is
 * also what makes a POST readable by the time it is answered.
 */
public final class OutputRoutes {
    static final int MAX_OUTPUT_BYTES = 64 * 1024;
    private static final Duration READ_YOUR_WRITE = Duration.ofSeconds(2);

    private final AppViews views;
    private final Writer writer;
    private final TopicFeed<Output> feed;
    private final Bodies bodies;
    private final Clock clock;

    public OutputRoutes(AppViews views, Writer writer, TopicFeed<Output> feed, Bodies bodies, Clock clock) {
        this.views = views;
        this.writer = writer;
        this.feed = feed;
        this.bodies = bodies;
        this.clock = clock;
    }

    public List<Route> routes() {
        String path = "/api/v1/app-instances/{id}/outputs";
        return List.of(
                Route.post(path, Access.roles(Role.ADMIN).orApp(AppScope.Target.OWN_INSTANCE, "id"), this::post),
                Route.get(path, AppRoutes.SEE.orApp(AppScope.Target.OWN_INSTANCE, "id"), this::list),
                Route.get(path + "/stream", AppRoutes.SEE, this::stream));
    }

    void post(Context ctx, Principal principal) throws InterruptedException {
        AppInstance i = views.instance(principal, ctx.pathParam("id"));
        byte[] bytes = bodies.bytes(ctx);
        if (bytes.length > MAX_OUTPUT_BYTES)
            throw LatticeException.tooLarge("body: an output may have at most " + MAX_OUTPUT_BYTES + " bytes, not " + bytes.length);
        JsonNode body = Json.parse(bytes, JsonNode.class);
        if (!(body instanceof ObjectNode value)) throw LatticeException.badRequest("apps:output", "body: an output is a JSON object");
        Output out = new Output(i.id(), clock.instant(), value);
        Writer.Written meta;
        try {
            meta = writer.send(Output.TOPIC, i.id(), Json.bytes(out)).get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw LatticeException.unavailable("apps:outputs.write", "cannot store the output of " + i.id() + ": " + e.getMessage());
        }
        feed.awaitApplied(meta.partition(), meta.offset(), READ_YOUR_WRITE);
        ctx.status(201).json(Map.of("ts", out.ts()));
    }

    void list(Context ctx, Principal principal) {
        AppInstance i = views.instance(principal, ctx.pathParam("id"));
        ctx.json(feed.latest(i.id(), Paging.limit(ctx), Paging.offset(ctx), i.createdAt()).stream().map(Output::view).toList());
    }

    void stream(Context ctx, Principal principal) throws Exception {
        AppInstance i = views.instance(principal, ctx.pathParam("id"));
        EventStream.serve(ctx, "output", sink -> feed.subscribe(i.id(), o -> sink.accept(Json.string(o.view()))));
    }
}
