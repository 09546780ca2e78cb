package dev.lattice.gateway.health;

import dev.lattice.api.monitor.HealthReport.ServiceHealth;
import dev.lattice.api.monitor.HealthReport;
import dev.lattice.bus.state.StateView;
import dev.lattice.bus.state.Versioned;
import dev.lattice.core.PlatformServices;
import dev.lattice.gateway.http.Access;
import dev.lattice.gateway.http.Route;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code GET /api/v1/health}: the monitor's report, unless the report has gone stale — then the
 * monitor itself is down, and the answer says so rather than repeating old news.
 */
public final class HealthRoutes {
    /** The monitor publishes at least every 2 s; silence as long as the heartbeat silence limit means it is gone. */
    static final Duration STALE_AFTER = Duration.ofSeconds(5);

    private final StateView<HealthReport> reports;
    private final Clock clock;
    private final Supplier<List<String>> unconfinedNodes;

    /** {@code unconfinedNodes}: the nodes started with --insecure-workloads, which every health answer names. */
    public HealthRoutes(StateView<HealthReport> reports, Clock clock, Supplier<List<String>> unconfinedNodes) {
        this.reports = reports;
        this.clock = clock;
        this.unconfinedNodes = unconfinedNodes;
    }

    public List<Route> routes() {
        return List.of(Route.get("/api/v1/health", Access.PUBLIC, (ctx, p) -> ctx.json(answer())));
    }

    /** The health answer: the report, and a warning while user code runs unconfined somewhere. */
    public record HealthView(String status, List<ServiceHealth> services, java.time.Instant ts, List<String> warnings) {}

    HealthView answer() {
        HealthReport r = current();
        List<String> unconfined = unconfinedNodes.get();
        List<String> warnings = unconfined.isEmpty() ? null : List.of("user workloads run unconfined (--insecure-workloads) on "
                + String.join(", ", unconfined) + ": any uploaded app or model can read the platform's secrets");
        return new HealthView(r.status(), r.services(), r.ts(), warnings);
    }

    public HealthReport current() {
        var latest = reports.get(HealthReport.NAME).map(Versioned::value);
        if (latest.isEmpty()) {
            return new HealthReport(HealthReport.DEGRADED, PlatformServices.ALL.stream()
                    .map(s -> new ServiceHealth(s, "UNKNOWN", List.of())).toList(), clock.instant());
        }
        HealthReport report = latest.get();
        if (report.ts().plus(STALE_AFTER).isAfter(clock.instant())) return report;
        List<ServiceHealth> services = new ArrayList<>();
        for (ServiceHealth s : report.services()) {
            services.add(s.name().equals(PlatformServices.MONITOR) ? new ServiceHealth(s.name(), "DOWN", s.instances()) : s);
        }
        return new HealthReport(HealthReport.DEGRADED, services, clock.instant());
    }
}
