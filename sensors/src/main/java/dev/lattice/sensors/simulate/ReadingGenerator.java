package dev.lattice.sensors.simulate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lattice.api.sensors.FieldSpec;
import dev.lattice.api.sensors.ReadingValidator;
import dev.lattice.api.sensors.SensorType;
import dev.lattice.api.sensors.Simulator.Shape;
import dev.lattice.api.sensors.Simulator;
import dev.lattice.core.Json;
import java.time.Instant;
import java.util.List;
import java.util.random.RandomGenerator;

/** Makes the values of one simulated reading; pure apart from the random source, so it is easy to test. */
final class ReadingGenerator {
    private final SensorType type;
    private final Simulator sim;
    private final RandomGenerator random;
    private long step;

    ReadingGenerator(SensorType type, Simulator sim, RandomGenerator random) {
        this.type = type;
        this.sim = sim;
        this.random = random;
    }

    ObjectNode next(Instant at) {
        if (sim.kind().equals("replay")) {
            JsonNode row = sim.values().get((int) (step++ % sim.values().size()));
            return ReadingValidator.values(type, row, "replay");
        }
        ObjectNode values = Json.MAPPER.createObjectNode();
        for (FieldSpec f : type.fields()) {
            Shape s = sim.fields().get(f.name());
            double x = sim.kind().equals("sine") ? sine(s, at) : uniform(s);
            switch (f.type()) {
                case NUMBER -> values.put(f.name(), Math.round(x * 1000) / 1000.0);
                case INTEGER -> values.put(f.name(), Math.round(x));
                case BOOLEAN -> values.put(f.name(), sim.kind().equals("sine") ? x >= offset(s) : random.nextBoolean());
                case STRING -> values.put(f.name(), choice(s, x));
            }
        }
        step++;
        return values;
    }

    private double uniform(Shape s) {
        double min = s != null && s.min() != null ? s.min() : 0;
        double max = s != null && s.max() != null ? s.max() : 100;
        return min == max ? min : min + random.nextDouble() * (max - min);
    }

    private double sine(Shape s, Instant at) {
        double amplitude = s != null && s.amplitude() != null ? s.amplitude() : 1;
        long period = s != null && s.periodMs() != null ? s.periodMs() : 60_000;
        return offset(s) + amplitude * Math.sin(2 * Math.PI * (at.toEpochMilli() % period) / period);
    }

    private static double offset(Shape s) {
        return s != null && s.offset() != null ? s.offset() : 0;
    }

    private String choice(Shape s, double x) {
        List<String> choices = s != null && s.choices() != null && !s.choices().isEmpty() ? s.choices() : List.of("a", "b", "c");
        return choices.get(random.nextInt(choices.size()));
    }
}
