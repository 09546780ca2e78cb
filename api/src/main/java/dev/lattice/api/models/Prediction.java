package dev.lattice.api.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lattice.bus.feed.StreamTopic;
import java.time.Instant;

/**
 * What a model bound to a sensor (API.md {@code POST /api/v1/models/{name}/bindings}) answered
 * for one of its readings, as on {@value #TOPIC} (key: the sensor instance's id, so that a
 * sensor's predictions keep its readings' order). Written by the gateway's stream predictor.
 *
 * @param ts      the reading's time
 * @param reading the reading's values, the request the model's contract was given
 * @param output  the contract's answer
 */
public record Prediction(String instance, Instant ts, String model, String version, ObjectNode reading, JsonNode output) {
    public static final String TOPIC = "lattice.predictions";
    /** Kept a week, in 4 partitions (by sensor); the gateway keeps the newest 1000 per sensor in memory. */
    public static final StreamTopic STREAM = new StreamTopic(TOPIC, 4, java.time.Duration.ofDays(7));

    /** What the API lists: {@code {"ts","model","version","reading","output"}}. */
    public record View(Instant ts, String model, String version, ObjectNode reading, JsonNode output) {}

    public View view() {
        return new View(ts, model, version, reading, output);
    }

    public static Instant tsOf(byte[] json) {
        return dev.lattice.core.Json.read(json, Prediction.class).ts();
    }
}
