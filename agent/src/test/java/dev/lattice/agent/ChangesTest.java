package dev.lattice.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lattice.workloads.Resources;
import dev.lattice.workloads.Workload;
import dev.lattice.workloads.WorkloadSpec;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ChangesTest {
    private static Workload w(String id, String arg) {
        return new Workload(id, "d", "custom", 0, "n1", new WorkloadSpec(List.of("sleep", arg), null, Map.of(), Resources.NONE, null), Instant.EPOCH);
    }

    private static Map<String, Workload> of(Workload... ws) {
        Map<String, Workload> m = new java.util.LinkedHashMap<>();
        for (Workload w : ws) m.put(w.id(), w);
        return m;
    }

    @Test
    void nothingToDoWhenWhatRunsIsWhatIsAssigned() {
        assertThat(Changes.between(of(w("a", "1")), of(w("a", "1")), Set.of(), "n1").none()).isTrue();
    }

    @Test
    void startsTheNewAndStopsTheUnassigned() {
        Changes c = Changes.between(of(w("a", "1"), w("b", "1")), of(w("b", "1"), w("c", "1")), Set.of(), "n1");
        assertThat(c.start()).extracting(Workload::id).containsExactly("a");
        assertThat(c.stop()).containsExactly(Map.entry("c", "no longer assigned to n1"));
    }

    @Test
    void aChangedSpecStopsFirstAndStartsOnlyOnceTheOldRunHasEnded() {
        Changes first = Changes.between(of(w("a", "2")), of(w("a", "1")), Set.of(), "n1");
        assertThat(first.stop()).containsExactly(Map.entry("a", "its spec changed"));
        assertThat(first.start()).isEmpty();

        Changes whileStopping = Changes.between(of(w("a", "2")), of(), Set.of("a"), "n1");
        assertThat(whileStopping.none()).isTrue();

        Changes after = Changes.between(of(w("a", "2")), of(), Set.of(), "n1");
        assertThat(after.start()).extracting(Workload::id).containsExactly("a");
    }
}
