package dev.lattice.gateway.sensors;

import dev.lattice.api.sensors.Device;
import dev.lattice.api.sensors.Reading;
import dev.lattice.api.sensors.ReadingMetrics;
import dev.lattice.api.sensors.ReadingSink;
import dev.lattice.api.sensors.ReadingRecords;
import dev.lattice.api.sensors.SensorType;
import dev.lattice.bus.state.Versioned;
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
import java.util.concurrent.CompletionException;

/**
 * Readings: accepted over HTTP from the sensor's own device token (or a configurer/admin),
 * checked against the type, stored on Kafka; read back newest first; streamed as SSE.
 */
public final class ReadingRoutes {
    private static final String PATH = "/api/v1/sensor-instances/{id}";
    private static final Duration READ_YOUR_WRITE = Duration.ofSeconds(2);

    private final SensorViews views;
    private final ReadingSink sink;
    private final TopicFeed<Reading> feed;
    private final Bodies bodies;
    private final Clock clock;
    private final ReadingMetrics metrics;

    public ReadingRoutes(SensorViews views, ReadingSink sink, TopicFeed<Reading> feed, Bodies bodies, Clock clock, ReadingMetrics metrics) {
        this.views = views;
        this.metrics = metrics;
        this.sink = sink;
        this.feed = feed;
        this.bodies = bodies;
        this.clock = clock;
    }

    public List<Route> routes() {
        return List.of(
                Route.post(PATH + "/readings", Access.roles(Role.PLATFORM_CONFIGURER, Role.ADMIN).orOwnDevice(), this::ingest),
                Route.get(PATH + "/readings", Access.ANY_ROLE.orApp(AppScope.Target.SENSOR, "id"), this::list),
                Route.get(PATH + "/stream", Access.ANY_ROLE.orApp(AppScope.Target.SENSOR, "id"), this::stream));
    }

    void ingest(Context ctx, Principal principal) {
        List<byte[]> readings;
        Device sensor;
        try {
            sensor = views.sensor(ctx.pathParam("id"));
            SensorType type = views.sensorTypes().get(sensor.type()).map(Versioned::value).orElseThrow(() ->
                    LatticeException.conflict("sensors:type.missing", "sensor type '" + sensor.type() + "' is gone"));
            readings = ReadingRecords.of(type, sensor.id(), bodies.bytes(ctx), clock.instant());
        } catch (LatticeException refused) {
            metrics.refused(refused.code());
            throw refused;
        }
        try {
            var last = sink.publishAll(sensor.id(), readings).join();
            feed.awaitApplied(last.partition(), last.offset(), READ_YOUR_WRITE);
        } catch (CompletionException e) {
            throw e.getCause() instanceof LatticeException le ? le : e;
        }
        metrics.accepted(readings.size());
        ctx.status(202).json(Map.of("accepted", readings.size()));
    }

    void list(Context ctx, Principal principal) {
        Device sensor = views.sensor(ctx.pathParam("id"));
        ctx.json(feed.latest(sensor.id(), Paging.limit(ctx), Paging.offset(ctx), sensor.createdAt()).stream()
                .map(Reading::view).toList());
    }

    void stream(Context ctx, Principal principal) throws Exception {
        Device sensor = views.sensor(ctx.pathParam("id"));
        EventStream.serve(ctx, "reading", sink -> feed.subscribe(sensor.id(), r -> sink.accept(Json.string(r.view()))));
    }
}
