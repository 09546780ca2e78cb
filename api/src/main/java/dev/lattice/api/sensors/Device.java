package dev.lattice.api.sensors;

import java.time.Instant;
import java.util.Map;

/**
 * A sensor or controller instance as stored ({@code sensor-instance} / {@code controller-instance}).
 * The device token is kept only as its SHA-256 ({@code tokenHash}).
 */
public record Device(String id, String type, Location location, Map<String, Object> attributes,
                     Simulator simulator, String tokenHash, Instant createdAt, String createdBy) {
    public static final String SENSOR_KIND = "sensor-instance";
    public static final String CONTROLLER_KIND = "controller-instance";

    public Device {
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }

    /** What the API shows: everything but the hash; the token itself only when just made. */
    public record View(String id, String type, Location location, Map<String, Object> attributes,
                       Simulator simulator, Instant createdAt, String token) {}

    public View view() {
        return new View(id, type, location, attributes, simulator, createdAt, null);
    }
}
