package dev.lattice.api.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lattice.core.Json;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class InstanceScheduleTest {
    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

    @Test
    void roundTripsThroughJson() {
        var s = new InstanceSchedule("guard-abc123", ScheduleState.since(T0), false, T0.plusSeconds(10),
                List.of(new InstanceSchedule.Run(T0, T0.plusMillis(150), 150, false, T0.plusSeconds(4), "duration elapsed")));
        assertThat(Json.read(Json.bytes(s), InstanceSchedule.class)).isEqualTo(s);
    }

    @Test
    void keepsTheLatestRunsAndMarksTheLastStopped() {
        var s = new InstanceSchedule("x", ScheduleState.since(T0), false, null, List.of());
        for (int i = 0; i < InstanceSchedule.KEPT_RUNS + 5; i++) {
            s = s.withRun(new InstanceSchedule.Run(T0.plusSeconds(10L * i), T0.plusSeconds(10L * i), 0, false, null, null));
        }
        assertThat(s.runs()).hasSize(InstanceSchedule.KEPT_RUNS);
        assertThat(s.runs().get(0).scheduledAt()).isEqualTo(T0.plusSeconds(50));
        var stopped = s.withLastRunStopped(T0.plusSeconds(1000), "duration elapsed");
        assertThat(stopped.runs().get(InstanceSchedule.KEPT_RUNS - 1).stopReason()).isEqualTo("duration elapsed");
        assertThat(stopped.withLastRunStopped(T0.plusSeconds(2000), "window ended")).isEqualTo(stopped);
    }
}
