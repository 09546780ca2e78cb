package dev.lattice.monitor.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lattice.api.monitor.HealthReport;
import dev.lattice.bus.heartbeat.Heartbeat.Status;
import dev.lattice.bus.heartbeat.Heartbeat;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class HealthTrackerTest {
    private static final Instant T0 = Instant.parse("2026-11-25T12:00:00Z");

    /** A clock the test moves by hand. */
    private static final class ManualClock extends Clock {
        Instant now = T0;

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final ManualClock clock = new ManualClock();
    private final HealthTracker tracker = new HealthTracker(List.of("auth", "gateway"), Duration.ofSeconds(3), clock);

    private static Heartbeat beat(String service, Status status, Instant at) {
        return new Heartbeat(service, service + ".n1", "n1", 42, status, T0, at);
    }

    private String statusOf(HealthReport report, String service) {
        return report.services().stream().filter(s -> s.name().equals(service)).findFirst().orElseThrow().status();
    }

    @Test
    void upOnlyWhenEveryServiceHasALiveInstance() {
        tracker.record(beat("auth", Status.UP, T0));
        HealthReport report = tracker.report();
        assertThat(report.status()).isEqualTo("DEGRADED");
        assertThat(statusOf(report, "gateway")).isEqualTo("DOWN");

        tracker.record(beat("gateway", Status.UP, T0));
        assertThat(tracker.report().status()).isEqualTo("UP");
    }

    @Test
    void silenceLongerThanTheLimitMeansDown() {
        tracker.record(beat("auth", Status.UP, T0));
        tracker.record(beat("gateway", Status.UP, T0));
        clock.now = T0.plusSeconds(3);
        assertThat(tracker.report().status()).isEqualTo("UP");
        clock.now = T0.plusMillis(3001);
        assertThat(statusOf(tracker.report(), "auth")).isEqualTo("DOWN");
    }

    @Test
    void aReportedDeathCountsAtOnceAndAFreshStartCountsOnlyWhenUp() {
        tracker.record(beat("auth", Status.UP, T0));
        tracker.record(beat("gateway", Status.UP, T0));
        tracker.record(beat("auth", Status.DOWN, T0.plusMillis(100)));
        assertThat(statusOf(tracker.report(), "auth")).isEqualTo("DOWN");

        tracker.record(beat("auth", Status.STARTING, T0.plusMillis(1500)));
        assertThat(statusOf(tracker.report(), "auth")).isEqualTo("STARTING");
        tracker.record(beat("auth", Status.UP, T0.plusMillis(2000)));
        assertThat(tracker.report().status()).isEqualTo("UP");
    }

    @Test
    void anOlderReportArrivingLateDoesNotOverrideANewerOne() {
        tracker.record(beat("auth", Status.DOWN, T0.plusSeconds(1)));
        tracker.record(beat("auth", Status.UP, T0));
        assertThat(statusOf(tracker.report(), "auth")).isEqualTo("DOWN");
    }
}
