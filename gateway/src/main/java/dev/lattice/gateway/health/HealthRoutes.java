package dev.lattice.gateway.health;

import dev.lattice.bus.state.StateView;
import dev.lattice.bus.state.Versioned;
import dev.lattice.core.PlatformServices;
import dev.lattice.gateway.http.Access;
import dev.lattice.gateway.http.Route;
import dev.lattice.monitor.HealthReport;
import dev.lattice.monitor.HealthReport.ServiceHealth;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code GET /api/v1/health}: the monitor's report, unless the report has gone stale — then the
 * monitor itself is down, and the answer says so rather than repeating old news.
 */
public final class HealthRoutes {
    /** The monitor publishes every 0.5 s; six missed reports (the heartbeat silence limit) mean it is gone. */
    static final Duration STALE_AFTER = Duration.ofSeconds(3);

    private final StateView<HealthReport> reports;
    private final Clock clock;

    public HealthRoutes(StateView<HealthReport> reports, Clock clock) {
        this.reports = reports;
        this.clock = clock;
    }

    public List<Route> routes() {
        return List.of(Route.get("/api/v1/health", Access.PUBLIC, (ctx, p) -> ctx.json(current())));
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
