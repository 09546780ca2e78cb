package dev.lattice.api.sensors;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Readings taken in by one transport ({@code mqtt} in the sensors service, {@code http} in the
 * gateway): {@code lattice_readings_accepted_total{transport}} and
 * {@code lattice_readings_refused_total{transport,cause}}, the cause being the refusal's error code
 * (e.g. {@code sensors:reading.unknown}, a short fixed list, so the series stay few). An accepted
 * reading costs one counter add; only refusals look their counter up. Thread-safe.
 */
public final class ReadingMetrics {
    private final MeterRegistry registry;
    private final String transport;
    private final Counter accepted;
    private final Map<String, Counter> refused = new ConcurrentHashMap<>();

    public ReadingMetrics(MeterRegistry registry, String transport) {
        this.registry = registry;
        this.transport = transport;
        this.accepted = Counter.builder("lattice.readings.accepted").description("readings validated and handed to Kafka")
                .tag("transport", transport).register(registry);
    }

    public void accepted(int readings) {
        accepted.increment(readings);
    }

    public void refused(String cause) {
        refused.computeIfAbsent(cause, c -> Counter.builder("lattice.readings.refused").description("readings refused, by cause")
                .tag("transport", transport).tag("cause", c).register(registry)).increment();
    }
}
