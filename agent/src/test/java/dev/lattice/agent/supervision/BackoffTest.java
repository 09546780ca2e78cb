package dev.lattice.agent.supervision;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
    private final Backoff backoff = Backoff.DEFAULT;
    private static final Duration SHORT = Duration.ofSeconds(2);

    @Test
    void doublesFromOneSecondUpToSixty() {
        int failures = 0;
        StringBuilder delays = new StringBuilder();
        for (int i = 0; i < 9; i++) {
            delays.append(backoff.delay(failures, SHORT).toSeconds()).append(' ');
            failures = backoff.failuresAfter(failures, SHORT);
        }
        assertThat(delays.toString().trim()).isEqualTo("1 2 4 8 16 32 60 60 60");
    }

    @Test
    void startsAgainFromOneSecondAfterTenHealthyMinutes() {
        int failures = 6;
        assertThat(backoff.delay(failures, Duration.ofMinutes(9))).isEqualTo(Duration.ofSeconds(60));
        assertThat(backoff.delay(failures, Duration.ofMinutes(10))).isEqualTo(Duration.ofSeconds(1));
        assertThat(backoff.failuresAfter(failures, Duration.ofMinutes(10))).isEqualTo(1);
        assertThat(backoff.delay(1, SHORT)).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void aPlatformServiceIsFirstRestartedAfterAQuarterSecondAndStillBacksOffToTheMax() {
        Backoff service = backoff.forPlatformService();
        StringBuilder delays = new StringBuilder();
        int failures = 0;
        for (int i = 0; i < 11; i++) {
            delays.append(service.delay(failures, SHORT).toMillis()).append(' ');
            failures = service.failuresAfter(failures, SHORT);
        }
        assertThat(delays.toString().trim()).isEqualTo("250 500 1000 2000 4000 8000 16000 32000 60000 60000 60000");
        Backoff fast = new Backoff(Duration.ofMillis(10), Duration.ofSeconds(1), Duration.ofMinutes(10));
        assertThat(fast.forPlatformService()).isSameAs(fast);
    }
}
