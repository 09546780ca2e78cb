package dev.lattice.bus.metrics;

import java.time.Instant;

/**
 * Where a process serves {@code /metrics} (kind {@value #KIND}, keyed by instance): written by the
 * process itself when it starts listening, read by the gateway for {@code /api/v1/metrics/targets}.
 *
 * @param service the platform service's name, or {@code agent}
 * @param address {@code host:port}, as Prometheus scrapes it
 */
public record MetricsTarget(String service, String instance, String node, String address, Instant since) {
    public static final String KIND = "metrics-target";
}
