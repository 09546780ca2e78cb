package dev.lattice.gateway.models;

import dev.lattice.api.models.ModelBinding;
import dev.lattice.api.models.ModelCommands;
import dev.lattice.api.models.Prediction;
import dev.lattice.api.sensors.Device;
import dev.lattice.bus.rpc.RequestClient;
import dev.lattice.core.AppScope;
import dev.lattice.core.Json;
import dev.lattice.core.LatticeException;
import dev.lattice.core.Principal;
import dev.lattice.gateway.http.Access;
import dev.lattice.gateway.http.Bodies;
import dev.lattice.gateway.http.EventStream;
import dev.lattice.gateway.http.Forwarding;
import dev.lattice.gateway.http.Paging;
import dev.lattice.gateway.http.Route;
import dev.lattice.gateway.http.TopicFeed;
import dev.lattice.gateway.sensors.SensorViews;
import io.javalin.http.Context;
import java.util.List;

/**
 * Models bound to sensor streams: {@code POST /api/v1/models/{name}/bindings} (which sensors'
 * readings a model predicts; {@link StreamPredictor} does it) and a sensor's predictions, listed
 * newest first or streamed as SSE, like its readings.
 */
public final class BindingRoutes {
    private static final String SENSOR = "/api/v1/sensor-instances/{id}";

    private final RequestClient client;
    private final ModelViews models;
    private final SensorViews sensors;
    private final TopicFeed<Prediction> feed;
    private final Bodies bodies;

    public BindingRoutes(RequestClient client, ModelViews models, SensorViews sensors, TopicFeed<Prediction> feed, Bodies bodies) {
        this.client = client;
        this.models = models;
        this.sensors = sensors;
        this.feed = feed;
        this.bodies = bodies;
    }

    record BindBody(List<String> sensors) {}

    public List<Route> routes() {
        return List.of(
                Route.post("/api/v1/models/{name}/bindings", ModelRoutes.WRITE, this::bind),
                Route.get(SENSOR + "/predictions", Access.ANY_ROLE.orApp(AppScope.Target.SENSOR, "id"), this::list),
                Route.get(SENSOR + "/predictions/stream", Access.ANY_ROLE.orApp(AppScope.Target.SENSOR, "id"), this::stream));
    }

    void bind(Context ctx, Principal principal) {
        String name = ctx.pathParam("name");
        if (!models.exists(name)) throw LatticeException.notFound("models:not-found", "model '" + name + "' does not exist");
        BindBody body = bodies.json(ctx, BindBody.class);
        if (body.sensors() == null) throw LatticeException.badRequest("models:bindings", "sensors: a list of sensor instance ids");
        for (String id : body.sensors()) {
            try {
                sensors.sensor(id);
            } catch (LatticeException e) {
                throw LatticeException.badRequest("models:bindings", "sensors: no sensor instance '" + id + "'");
            }
        }
        ModelBinding b = client.call(ModelCommands.SERVICE, ModelCommands.BIND, new ModelCommands.Bind(name, body.sensors()), principal,
                Forwarding.credential(ctx), ModelBinding.class);
        ctx.status(200).json(java.util.Map.of("model", b.model(), "sensors", b.sensors()));
    }

    void list(Context ctx, Principal principal) {
        Device sensor = sensors.sensor(ctx.pathParam("id"));
        ctx.json(feed.latest(sensor.id(), Paging.limit(ctx), Paging.offset(ctx), sensor.createdAt()).stream()
                .map(Prediction::view).toList());
    }

    void stream(Context ctx, Principal principal) throws Exception {
        Device sensor = sensors.sensor(ctx.pathParam("id"));
        EventStream.serve(ctx, "prediction", sink -> feed.subscribe(sensor.id(), p -> sink.accept(Json.string(p.view()))));
    }
}
