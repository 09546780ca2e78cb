package dev.lattice.monitor.health;

import dev.lattice.api.monitor.HealthReport.InstanceHealth;
import dev.lattice.api.monitor.HealthReport.ServiceHealth;
import dev.lattice.api.monitor.HealthReport;
import dev.lattice.bus.heartbeat.Heartbeat;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns heartbeats into a health report. An instance is UP while its latest report says UP and
 * is younger than {@link #silenceLimit}; DOWN as soon as its agent says so (a crash is seen at
 * once, not after the silence); a service is UP while any instance is. Thread-safe.
 */
public final class HealthTracker {
    /** Two and a half heartbeat intervals: one late beat is not a death. */
    public static final Duration DEFAULT_SILENCE = Duration.ofMillis(7500);

    private final List<String> expected;
    private final Duration silenceLimit;
    private final Clock clock;
    private final Map<String, Heartbeat> latest = new ConcurrentHashMap<>();

    public HealthTracker(List<String> expected, Duration silenceLimit, Clock clock) {
        this.expected = List.copyOf(expected);
        this.silenceLimit = silenceLimit;
        this.clock = clock;
    }

    public void record(Heartbeat hb) {
        latest.merge(hb.instance(), hb, (old, next) -> next.ts().isBefore(old.ts()) ? old : next);
    }

    public HealthReport report() {
        Instant now = clock.instant();
        List<ServiceHealth> services = new ArrayList<>();
        for (String service : expected) {
            List<InstanceHealth> instances = latest.values().stream()
                    .filter(hb -> hb.service().equals(service))
                    .sorted(Comparator.comparing(Heartbeat::instance))
                    .map(hb -> new InstanceHealth(hb.instance(), hb.node(), statusOf(hb, now), hb.ts()))
                    .toList();
            services.add(new ServiceHealth(service, serviceStatus(instances), instances));
        }
        boolean allUp = services.stream().allMatch(s -> s.status().equals(HealthReport.UP));
        return new HealthReport(allUp ? HealthReport.UP : HealthReport.DEGRADED, services, now);
    }

    private String statusOf(Heartbeat hb, Instant now) {
        if (hb.ts().plus(silenceLimit).isBefore(now)) return "DOWN";
        return switch (hb.status()) {
            case UP -> "UP";
            case STARTING -> "STARTING";
            case STOPPING, DOWN -> "DOWN";
        };
    }

    private static String serviceStatus(List<InstanceHealth> instances) {
        if (instances.stream().anyMatch(i -> i.status().equals("UP"))) return "UP";
        if (instances.stream().anyMatch(i -> i.status().equals("STARTING"))) return "STARTING";
        return "DOWN";
    }
}
