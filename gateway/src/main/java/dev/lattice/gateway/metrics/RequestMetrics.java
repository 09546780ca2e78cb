package dev.lattice.gateway.metrics;

import io.javalin.http.Context;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * {@code lattice_http_requests_seconds{method,route,status}}: every answered request, by the route
 * that matched (its template, e.g. {@code /api/v1/models/{name}}, so the series stay few), the
 * status and the time taken. Files of the UI and unknown paths count as route {@code other}.
 */
public final class RequestMetrics {
    private final MeterRegistry registry;

    public RequestMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void record(Context ctx, float ms) {
        String route = route(ctx);
        Timer.builder("lattice.http.requests").description("requests the gateway answered")
                .tag("method", ctx.method().name()).tag("route", route).tag("status", Integer.toString(ctx.statusCode()))
                .register(registry).record(Duration.ofNanos((long) (ms * 1_000_000)));
    }

    private static String route(Context ctx) {
        String path;
        try {
            path = ctx.endpointHandlerPath();
        } catch (IllegalStateException noEndpoint) {
            // Javalin has no endpoint to name when nothing matched (a 404, or a refusal in a before-handler).
            return "other";
        }
        return path.startsWith("/api/") || path.startsWith("/v2/") ? path : "other";
    }
}
