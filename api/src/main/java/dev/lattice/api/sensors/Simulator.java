package dev.lattice.api.sensors;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lattice.core.LatticeException;
import java.util.List;
import java.util.Map;

/**
 * Readings the platform makes up for an instance, every {@code intervalMs}:
 * <ul>
 *   <li>{@code random}: each field uniform in its {@code fields.F.min..max} (defaults 0..100; booleans
 *       fair coins; strings from {@code choices});</li>
 *   <li>{@code sine}: {@code offset + amplitude * sin(2π t / periodMs)} per numeric field;</li>
 *   <li>{@code replay}: the readings in {@code values}, one per interval, round and round.</li>
 * </ul>
 */
@com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_EMPTY)
public record Simulator(String kind, Long intervalMs, Map<String, Shape> fields, List<JsonNode> values) {
    public static final long MIN_INTERVAL_MS = 10;
    public static final long MAX_INTERVAL_MS = 86_400_000;

    /** How one field varies. Every part is optional. */
    public record Shape(Double min, Double max, Double amplitude, Double offset, Long periodMs, List<String> choices) {}

    public Simulator {
        if (kind == null || !List.of("random", "sine", "replay").contains(kind)) {
            throw LatticeException.badRequest("sensors:simulator.kind", "simulator.kind: must be random, sine or replay");
        }
        if (intervalMs == null) intervalMs = 1000L;
        if (intervalMs < MIN_INTERVAL_MS || intervalMs > MAX_INTERVAL_MS) {
            throw LatticeException.badRequest("sensors:simulator.interval",
                    "simulator.intervalMs: must be " + MIN_INTERVAL_MS + " to " + MAX_INTERVAL_MS);
        }
        fields = fields == null ? Map.of() : Map.copyOf(fields);
        values = values == null ? List.of() : List.copyOf(values);
        if (kind.equals("replay") && values.isEmpty()) {
            throw LatticeException.badRequest("sensors:simulator.values", "simulator.values: replay needs at least one reading");
        }
        if (values.size() > 10_000) throw LatticeException.badRequest("sensors:simulator.values", "simulator.values: at most 10000 readings");
    }

    /** Checks the simulator against the type it will make readings for. */
    public void checkAgainst(SensorType type) {
        for (var e : fields.entrySet()) {
            FieldSpec field = type.field(e.getKey()).orElseThrow(() -> LatticeException.badRequest("sensors:simulator.field",
                    "simulator.fields." + e.getKey() + ": the type '" + type.name() + "' has no such field"));
            Shape s = e.getValue();
            if (s != null && s.min() != null && s.max() != null && s.min() > s.max()) {
                throw LatticeException.badRequest("sensors:simulator.range", "simulator.fields." + field.name() + ": min is above max");
            }
            if (s != null && s.periodMs() != null && s.periodMs() <= 0) {
                throw LatticeException.badRequest("sensors:simulator.period", "simulator.fields." + field.name() + ".periodMs: must be positive");
            }
        }
        for (int i = 0; i < values.size(); i++) ReadingValidator.values(type, values.get(i), "simulator.values[" + i + "]");
    }
}
