package dev.lattice.sensors.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lattice.api.sensors.FieldSpec;
import dev.lattice.api.sensors.FieldType;
import dev.lattice.api.sensors.SensorType;
import dev.lattice.api.sensors.Simulator.Shape;
import dev.lattice.api.sensors.Simulator;
import dev.lattice.core.Json;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ReadingGeneratorTest {
    private static final SensorType TYPE = new SensorType("t", "", List.of(
            new FieldSpec("celsius", FieldType.NUMBER), new FieldSpec("count", FieldType.INTEGER), new FieldSpec("on", FieldType.BOOLEAN)));

    @Test
    void randomStaysWithinItsRange() {
        var sim = new Simulator("random", 100L, Map.of("celsius", new Shape(20.0, 22.0, null, null, null, null),
                "count", new Shape(5.0, 5.0, null, null, null, null)), null);
        ReadingGenerator g = new ReadingGenerator(TYPE, sim, new Random(1));
        for (int i = 0; i < 200; i++) {
            var v = g.next(Instant.EPOCH);
            assertThat(v.get("celsius").asDouble()).isBetween(20.0, 22.0);
            assertThat(v.get("count").asLong()).isEqualTo(5);
            assertThat(v.get("on").isBoolean()).isTrue();
        }
    }

    @Test
    void sineFollowsItsPeriod() {
        var sim = new Simulator("sine", 100L, Map.of("celsius", new Shape(null, null, 5.0, 20.0, 4000L, null)), null);
        ReadingGenerator g = new ReadingGenerator(TYPE, sim, new Random(1));
        assertThat(g.next(Instant.ofEpochMilli(0)).get("celsius").asDouble()).isEqualTo(20.0);
        assertThat(g.next(Instant.ofEpochMilli(1000)).get("celsius").asDouble()).isEqualTo(25.0);
        assertThat(g.next(Instant.ofEpochMilli(3000)).get("celsius").asDouble()).isEqualTo(15.0);
    }

    @Test
    void replayGoesRoundItsList() {
        List<JsonNode> rows = List.of(Json.read("{\"celsius\":1,\"count\":1,\"on\":true}".getBytes(), JsonNode.class),
                Json.read("{\"celsius\":2,\"count\":2,\"on\":false}".getBytes(), JsonNode.class));
        ReadingGenerator g = new ReadingGenerator(TYPE, new Simulator("replay", 100L, null, rows), new Random(1));
        assertThat(List.of(g.next(Instant.EPOCH), g.next(Instant.EPOCH), g.next(Instant.EPOCH)))
                .extracting(v -> v.get("celsius").asInt()).containsExactly(1, 2, 1);
    }
}
