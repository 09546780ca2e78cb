package dev.lattice.api.monitor;

import java.time.Instant;
import java.util.List;

/**
 * The platform's health as the monitor sees it, published as kind {@code health}, name
 * {@code platform}. {@code status} is UP only when every platform service has a live instance.
 */
public record HealthReport(String status, List<ServiceHealth> services, Instant ts) {
    public static final String KIND = "health";
    public static final String NAME = "platform";
    public static final String UP = "UP";
    public static final String DEGRADED = "DEGRADED";

    public HealthReport {
        services = List.copyOf(services);
    }

    /** One service: UP, STARTING or DOWN, with its instances. */
    public record ServiceHealth(String name, String status, List<InstanceHealth> instances) {
        public ServiceHealth {
            instances = instances == null ? List.of() : List.copyOf(instances);
        }
    }

    /** One instance; no pid or host details, since the health answer is public. */
    public record InstanceHealth(String instance, String node, String status, Instant lastSeen) {}
}
