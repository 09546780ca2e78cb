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
        return HangWatch.hung(Optional.ofNullable(r), List.of(local), NOW, AFTER, LONG_AGO).stream().map(h -> h.run().service()).toList();
    }

    @Test
    void aServiceHeardRecentlyIsNotHung() {
        assertThat(hung(report(NOW.minusSeconds(1), NOW.minusSeconds(3), NOW.minusSeconds(1)), auth, monitor)).isEmpty();
    }

    @Test
    void aServiceSilentForLongerThanTheLimitIsHungAndOnlyIt() {
        assertThat(hung(report(NOW.minusSeconds(1), NOW.minusSeconds(12), NOW.minusSeconds(1)), auth, monitor)).containsExactly("auth");
        var verdict = HangWatch.hung(Optional.of(report(NOW.minusSeconds(1), NOW.minusSeconds(12), NOW.minusSeconds(1))),
                List.of(auth), NOW, AFTER, LONG_AGO).getFirst();
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
        var verdict = HangWatch.hung(Optional.of(r), List.of(silentSinceStart), NOW, AFTER, LONG_AGO);
        assertThat(verdict).hasSize(1);
        assertThat(verdict.getFirst().silent()).as("silent since its own start, not its predecessor's last beat").isEqualTo(Duration.ofSeconds(31));
    }

    @Test
    void nothingIsJudgedBeforeAFirstReportOrForAnInstanceTheReportDoesNotName() {
        assertThat(hung(null, auth, monitor)).isEmpty();
        var other = new HangWatch.Local("svc-x", "x", "x.n1", 104, LONG_AGO);
        assertThat(hung(report(NOW.minusSeconds(1), NOW.minusSeconds(1), NOW.minusSeconds(1)), other)).isEmpty();
    }

    /** A broker lost: every heartbeat and the report stall together; that is not every service hanging. */
    @Test
    void nobodyIsJudgedWhileTheBusDoesNotWorkNorOnSilenceFromBeforeItWorkedAgain() {
        HealthReport frozen = report(NOW.minusSeconds(14), NOW.minusSeconds(15), NOW.minusSeconds(14));
        assertThat(HangWatch.hung(Optional.of(frozen), List.of(auth, monitor), NOW, AFTER, null)).as("bus down").isEmpty();
        assertThat(HangWatch.hung(Optional.of(frozen), List.of(auth, monitor), NOW, AFTER, NOW.minusSeconds(2)))
                .as("bus back 2 s ago: 2 s of silence that counts").isEmpty();
        assertThat(HangWatch.hung(Optional.of(frozen), List.of(auth, monitor), NOW, AFTER, NOW.minusSeconds(11)))
                .as("bus back 11 s ago and still no report: the monitor hangs").extracting(h -> h.run().service()).containsExactly("monitor");
        HealthReport fresh = report(NOW.minusSeconds(1), NOW.minusSeconds(15), NOW.minusSeconds(1));
        assertThat(HangWatch.hung(Optional.of(fresh), List.of(auth), NOW, AFTER, NOW.minusSeconds(4))).isEmpty();
        var verdict = HangWatch.hung(Optional.of(fresh), List.of(auth), NOW, AFTER, NOW.minusSeconds(12));
        assertThat(verdict).hasSize(1);
        assertThat(verdict.getFirst().silent()).as("counted from when the bus worked again").isEqualTo(Duration.ofSeconds(12));
    }

    @Test
    void theBusWorksWhileTheAgentsOwnWritesAreAcknowledged() {
        var watch = new HangWatch.BusWatch();
        assertThat(watch.observe(Optional.empty(), NOW)).as("nothing acknowledged yet").isNull();
        assertThat(watch.observe(Optional.of(NOW.minusSeconds(1)), NOW)).isEqualTo(NOW);
        assertThat(watch.observe(Optional.of(NOW.plusSeconds(1)), NOW.plusSeconds(2))).as("no break: since the first pass").isEqualTo(NOW);
        assertThat(watch.observe(Optional.of(NOW.plusSeconds(1)), NOW.plusSeconds(5))).as("4 s without an ack").isNull();
        assertThat(watch.observe(Optional.of(NOW.plusSeconds(20)), NOW.plusSeconds(21))).isEqualTo(NOW.plusSeconds(21));
    }
}
