package dev.lattice.sensors;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/** One accepted reading of one sensor instance, as on {@code lattice.readings} (key: instance id). */
public record Reading(String instance, Instant ts, ObjectNode values) {
    public static final String TOPIC = "lattice.readings";

    /** What the API lists: {@code {"ts","values"}}. */
    public record View(Instant ts, ObjectNode values) {}

    public View view() {
        return new View(ts, values);
    }
}
