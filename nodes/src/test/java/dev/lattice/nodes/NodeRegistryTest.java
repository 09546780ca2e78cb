package dev.lattice.nodes;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeRegistryTest {
    private static final Duration SILENCE = Duration.ofSeconds(3);
    private static final Instant NOW = Instant.parse("2026-12-07T02:00:00Z");

    @Test
    void everyAliveNodeSilentAtOnceIsTheBusNotTheNodes() {
        assertThat(NodeRegistry.busSilent(List.of(NOW.minusSeconds(4), NOW.minusSeconds(5), NOW.minusSeconds(4)), NOW, SILENCE)).isTrue();
    }

    @Test
    void oneNodeHeardLatelyMeansTheBusWorks() {
        assertThat(NodeRegistry.busSilent(List.of(NOW.minusSeconds(4), NOW.minusSeconds(1)), NOW, SILENCE)).isFalse();
    }

    @Test
    void aLoneNodeCannotBeToldFromTheBusSoItsSilenceCounts() {
        assertThat(NodeRegistry.busSilent(List.of(NOW.minusSeconds(10)), NOW, SILENCE)).isFalse();
        assertThat(NodeRegistry.busSilent(List.of(), NOW, SILENCE)).isFalse();
    }
}
