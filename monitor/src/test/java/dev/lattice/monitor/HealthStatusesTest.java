package dev.lattice.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lattice.api.monitor.HealthReport.InstanceHealth;
import dev.lattice.api.monitor.HealthReport.ServiceHealth;
import dev.lattice.api.monitor.HealthReport;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The monitor publishes a report at once when {@link MonitorMain#statuses} changes, else only as a keep-alive. */
class HealthStatusesTest {
    private static HealthReport report(String platform, String auth, Instant at) {
        return new HealthReport(platform, List.of(new ServiceHealth("auth", auth,
                List.of(new InstanceHealth("auth.n1", "n1", auth, at)))), at);
    }

    @Test
    void newTimesAreNoNews() {
        Instant t = Instant.parse("2026-12-04T00:00:00Z");
        assertThat(MonitorMain.statuses(report("UP", "UP", t)))
                .isEqualTo(MonitorMain.statuses(report("UP", "UP", t.plusSeconds(5))));
    }

    @Test
    void aStatusChangeIsNews() {
        Instant t = Instant.parse("2026-12-04T00:00:00Z");
        assertThat(MonitorMain.statuses(report("UP", "UP", t)))
                .isNotEqualTo(MonitorMain.statuses(report("DEGRADED", "DOWN", t)));
    }
}
