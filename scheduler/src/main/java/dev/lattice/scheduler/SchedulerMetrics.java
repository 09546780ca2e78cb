package dev.lattice.scheduler;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;

/**
 * The scheduler's Prometheus metrics, in its process's registry, so they are served with the JVM's
 * and Kafka clients' figures on the {@code /metrics} every platform process advertises:
 * <ul>
 *   <li>{@code lattice_scheduler_lateness_seconds{catch_up}}: actual start − scheduled time of each
 *       run (p50, p90, p99 computed in the process, and the histogram's count, sum and max);</li>
 *   <li>{@code lattice_scheduler_runs_started_total{catch_up}} and
 *       {@code lattice_scheduler_runs_stopped_total{reason}}.</li>
 * </ul>
 * Thread-safe (Micrometer meters are).
 */
final class SchedulerMetrics implements AutoCloseable {
    private final MeterRegistry registry;
    private final java.util.function.Supplier<String> scrape;
    private final boolean owned;

    /** Its own registry (tests). */
    SchedulerMetrics() {
        PrometheusMeterRegistry own = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        this.registry = own;
        this.scrape = own::scrape;
        this.owned = true;
    }

    /** In the process's registry, so the platform-wide {@code /metrics} of the scheduler has them too. */
    SchedulerMetrics(dev.lattice.bus.metrics.ProcessMetrics process) {
        this.registry = process.registry();
        this.scrape = process::scrape;
        this.owned = false;
    }

    void started(Duration lateness, boolean catchUp) {
        Timer.builder("lattice.scheduler.lateness").description("a run's actual start minus its scheduled time")
                .tag("catch_up", Boolean.toString(catchUp)).publishPercentiles(0.5, 0.9, 0.99)
                .register(registry).record(lateness);
        Counter.builder("lattice.scheduler.runs.started").tag("catch_up", Boolean.toString(catchUp)).register(registry).increment();
    }

    void stopped(String reason) {
        Counter.builder("lattice.scheduler.runs.stopped").tag("reason", reason).register(registry).increment();
    }

    String scrape() {
        return scrape.get();
    }

    @Override
    public void close() {
        if (owned) registry.close();
    }
}
