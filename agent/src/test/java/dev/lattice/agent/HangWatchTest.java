package dev.lattice.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lattice.api.monitor.HealthReport;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HangWatchTest {
    private static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");
    private static final Duration AFTER = Duration.ofSeconds(10);
    private static final Instant LONG_AGO = NOW.minusSeconds(600);

    private final HangWatch.Local auth = new HangWatch.Local("svc-auth", "auth", "auth.n1", 101, LONG_AGO);
    private final HangWatch.Local monitor = new HangWatch.Local("svc-monitor", "monitor", "monitor.n1", 102, LONG_AGO);

    private static HealthReport report(Instant ts, Instant authSeen, Instant monitorSeen) {
        return new HealthReport("UP", List.of(
                new HealthReport.ServiceHealth("auth", "UP", List.of(new HealthReport.InstanceHealth("auth.n1", "n1", "UP", authSeen))),
                new HealthReport.ServiceHealth("monitor", "UP", List.of(new HealthReport.InstanceHealth("monitor.n1", "n1", "UP", monitorSeen)))),
                ts);
    }

    private List<String> hung(HealthReport r, HangWatch.Local... local) {
        return HangWatch.hung(Optional.ofNullable(r), List.of(local), NOW, AFTER).stream().map(h -> h.run().service()).toList();
    }

    @Test
    void aServiceHeardRecentlyIsNotHung() {
        assertThat(hung(report(NOW.minusSeconds(1), NOW.minusSeconds(3), NOW.minusSeconds(1)), auth, monitor)).isEmpty();
    }

    @Test
    void aServiceSilentForLongerThanTheLimitIsHungAndOnlyIt() {
        assertThat(hung(report(NOW.minusSeconds(1), NOW.minusSeconds(12), NOW.minusSeconds(1)), auth, monitor)).containsExactly("auth");
        var verdict = HangWatch.hung(Optional.of(report(NOW.minusSeconds(1), NOW.minusSeconds(12), NOW.minusSeconds(1))),
                List.of(auth), NOW, AFTER).getFirst();
        assertThat(verdict.silent()).as("counted to now, not to the report's time").isEqualTo(Duration.ofSeconds(12));
    }

    @Test
    void aStaleReportMeansTheMonitorHangsAndNobodyElseIsJudgedOnIt() {
        HealthReport stale = report(NOW.minusSeconds(11), NOW.minusSeconds(40), NOW.minusSeconds(11));
        assertThat(hung(stale, auth, monitor)).containsExactly("monitor");
        assertThat(hung(stale, auth)).as("the monitor runs on another node: not this agent's to kill").isEmpty();
    }

    @Test
    void aYoungRunIsLeftAloneThenJudgedFromItsStartIfItNeverBeats() {
        HealthReport r = report(NOW.minusSeconds(1), NOW.minusSeconds(100), NOW.minusSeconds(1));
        var fresh = new HangWatch.Local("svc-auth", "auth", "auth.n1", 103, NOW.minusSeconds(20));
        assertThat(hung(r, fresh)).as("within the start grace").isEmpty();
        var silentSinceStart = new HangWatch.Local("svc-auth", "auth", "auth.n1", 103, NOW.minusSeconds(31));
        var verdict = HangWatch.hung(Optional.of(r), List.of(silentSinceStart), NOW, AFTER);
        assertThat(verdict).hasSize(1);
        assertThat(verdict.getFirst().silent()).as("silent since its own start, not its predecessor's last beat").isEqualTo(Duration.ofSeconds(31));
    }

    @Test
    void nothingIsJudgedBeforeAFirstReportOrForAnInstanceTheReportDoesNotName() {
        assertThat(hung(null, auth, monitor)).isEmpty();
        var other = new HangWatch.Local("svc-x", "x", "x.n1", 104, LONG_AGO);
        assertThat(hung(report(NOW.minusSeconds(1), NOW.minusSeconds(1), NOW.minusSeconds(1)), other)).isEmpty();
    }
}
