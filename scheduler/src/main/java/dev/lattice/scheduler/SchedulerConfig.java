package dev.lattice.scheduler;

import dev.lattice.core.Env;
import java.util.Map;

/**
 * The scheduler's settings.
 *
 * @param metricsHost where {@code /metrics} listens ({@code LATTICE_SCHEDULER_METRICS_HOST}, default 127.0.0.1)
 * @param metricsPort its port ({@code LATTICE_SCHEDULER_METRICS_PORT}, default 0: a free one)
 */
public record SchedulerConfig(String metricsHost, int metricsPort) {
    public static SchedulerConfig fromEnv(Map<String, String> env) {
        Env e = Env.of(env);
        return new SchedulerConfig(e.string("LATTICE_SCHEDULER_METRICS_HOST", "127.0.0.1"), e.port("LATTICE_SCHEDULER_METRICS_PORT", 0));
    }
}
