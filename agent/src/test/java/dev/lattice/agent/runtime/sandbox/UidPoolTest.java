package dev.lattice.agent.runtime.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UidPoolTest {
    @TempDir
    Path tmp;

    @Test
    void noTwoRunningWorkloadsShareAUidAndAReleasedOneCanBeTakenAgain() throws Exception {
        UidPool a = new UidPool(tmp);
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 50; i++) assertThat(seen.add(a.acquire())).isTrue();
        assertThat(seen).allMatch(u -> u >= UidPool.FIRST && u < UidPool.FIRST + UidPool.COUNT);
        int one = seen.iterator().next();
        assertThat(a.reacquire(one)).as("held already").isFalse();
        a.release(one);
        assertThat(a.reacquire(one)).isTrue();
        assertThat(a.reacquire(0)).as("never root").isFalse();
    }
}
