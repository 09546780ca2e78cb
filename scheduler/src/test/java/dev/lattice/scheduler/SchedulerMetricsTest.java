package dev.lattice.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SchedulerMetricsTest {
    @Test
    void recordsLatenessAndRunCountsAsPrometheusText() {
        try (SchedulerMetrics metrics = new SchedulerMetrics()) {
            metrics.started(Duration.ofMillis(150), false);
            metrics.started(Duration.ofMillis(350), false);
            metrics.started(Duration.ofSeconds(5), true);
            metrics.stopped("duration elapsed");
            assertThat(metrics.scrape()).contains("lattice_scheduler_lateness_seconds_count{catch_up=\"false\"} 2")
                    .contains("lattice_scheduler_lateness_seconds_max{catch_up=\"true\"} 5.0")
                    .contains("lattice_scheduler_lateness_seconds_sum{catch_up=\"false\"} 0.5")
                    .contains("lattice_scheduler_runs_started_total{catch_up=\"true\"} 1.0")
                    .contains("lattice_scheduler_runs_stopped_total{reason=\"duration elapsed\"} 1.0");
        }
    }
}
