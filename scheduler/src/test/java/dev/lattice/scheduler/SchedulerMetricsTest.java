package dev.lattice.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SchedulerMetricsTest {
    @Test
    void servesLatenessAndRunCountsAsPrometheusText() throws Exception {
        try (SchedulerMetrics metrics = new SchedulerMetrics()) {
            metrics.started(Duration.ofMillis(150), false);
            metrics.started(Duration.ofMillis(350), false);
            metrics.started(Duration.ofSeconds(5), true);
            metrics.stopped("duration elapsed");
            int port = metrics.serve("127.0.0.1", 0);
            var r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains("lattice_scheduler_lateness_seconds_count{catch_up=\"false\"} 2")
                    .contains("lattice_scheduler_lateness_seconds_max{catch_up=\"true\"} 5.0")
                    .contains("lattice_scheduler_lateness_seconds_sum{catch_up=\"false\"} 0.5")
                    .contains("lattice_scheduler_runs_started_total{catch_up=\"true\"} 1.0")
                    .contains("lattice_scheduler_runs_stopped_total{reason=\"duration elapsed\"} 1.0");
        }
    }
}
