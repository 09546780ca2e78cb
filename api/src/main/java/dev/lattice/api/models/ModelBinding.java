package dev.lattice.api.models;

import java.time.Instant;
import java.util.List;

/**
 * The sensors whose every new reading a model predicts (kind {@value #KIND}, key: the model's
 * name, owned by the models service); an empty list binds none.
 */
public record ModelBinding(String model, List<String> sensors, String by, Instant at) {
    public static final String KIND = "model-binding";
    /** A model follows at most this many sensors. */
    public static final int MAX_SENSORS = 100;

    public ModelBinding {
        sensors = sensors == null ? List.of() : List.copyOf(sensors);
    }
}
