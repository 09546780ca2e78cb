package dev.lattice.api.apps;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lattice.bus.feed.StreamTopic;
import java.time.Instant;

/**
 * One thing an app instance reported for its user to see (API.md {@code .../outputs}), as on
 * {@value #TOPIC} (key: the instance id). Written by the gateway when the app posts it.
 */
public record Output(String instance, Instant ts, ObjectNode value) {
    public static final String TOPIC = "lattice.app-outputs";
    /** Kept on the topic a week, in 4 partitions (by instance); the gateway keeps the newest 1000 per instance in memory. */
    public static final StreamTopic STREAM = new StreamTopic(TOPIC, 4, java.time.Duration.ofDays(7));

    /** What the API lists: {@code {"ts","value"}}. */
    public record View(Instant ts, ObjectNode value) {}

    public View view() {
        return new View(ts, value);
    }

    /** The {@code ts} of an output's JSON as on the topic. */
    public static Instant tsOf(byte[] json) {
        return dev.lattice.core.Json.read(json, Output.class).ts();
    }
}
