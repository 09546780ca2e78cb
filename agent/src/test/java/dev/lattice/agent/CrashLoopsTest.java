package dev.lattice.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class CrashLoopsTest {
    private static final Instant T = Instant.parse("2026-12-06T12:00:00Z");

    @Test
    void theThirdExitWithinFiveMinutesIsACrashLoopToldOnce() {
        CrashLoops loops = new CrashLoops();
        assertThat(loops.exited("w", T)).isFalse();
        assertThat(loops.exited("w", T.plusSeconds(2))).isFalse();
        assertThat(loops.exited("w", T.plusSeconds(6))).isTrue();
        assertThat(loops.exited("w", T.plusSeconds(14))).as("told once per loop").isFalse();
        assertThat(loops.exited("other", T.plusSeconds(14))).as("each workload on its own").isFalse();
    }

    @Test
    void exitsFarApartAreNoLoopAndAQuietSpellEndsOne() {
        CrashLoops loops = new CrashLoops();
        assertThat(loops.exited("w", T)).isFalse();
        assertThat(loops.exited("w", T.plusSeconds(200))).isFalse();
        assertThat(loops.exited("w", T.plusSeconds(400))).as("the first is older than 5 min").isFalse();
        assertThat(loops.exited("w", T.plusSeconds(450))).isTrue();
        // Quiet for more than 5 minutes: a new loop is told again.
        assertThat(loops.exited("w", T.plusSeconds(1000))).isFalse();
        assertThat(loops.exited("w", T.plusSeconds(1001))).isFalse();
        assertThat(loops.exited("w", T.plusSeconds(1002))).isTrue();
    }

    @Test
    void aWorkloadQuietForFiveMinutesIsForgotten() {
        CrashLoops loops = new CrashLoops();
        for (int i = 0; i < 100; i++) loops.exited("run-" + i, T.plusSeconds(i));
        assertThat(loops.remembered()).isEqualTo(100);
        loops.exited("w", T.plusSeconds(350));
        assertThat(loops.remembered()).as("runs 0-49 exited over 5 min before; 50-99 and w remain").isEqualTo(51);
        loops.exited("w", T.plusSeconds(400));
        assertThat(loops.remembered()).isEqualTo(1);
    }
}
