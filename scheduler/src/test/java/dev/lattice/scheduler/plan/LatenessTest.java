package dev.lattice.scheduler.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lattice.api.scheduler.ScheduleState;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LatenessTest {
    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

    @Test
    void isTheActualStartMinusTheScheduledTime() {
        Lateness l = new Lateness(T0, T0.plusMillis(1500));

        assertThat(l.duration()).isEqualTo(Duration.ofMillis(1500));
        assertThat(l.within(Duration.ofSeconds(2))).isTrue();
        assertThat(l.within(Duration.ofSeconds(1))).isFalse();
    }

    @Test
    void aStartBeforeItsTimeCountsAsZero() {
        assertThat(new Lateness(T0, T0.minusMillis(30)).duration()).isEqualTo(Duration.ZERO);
    }

    @Test
    void aStartDecisionCarriesItsLateness() {
        var start = new Decision.Start(T0, T0.plusMillis(250), false, ScheduleState.since(T0));

        assertThat(start.lateness().duration()).isEqualTo(Duration.ofMillis(250));
    }
}
