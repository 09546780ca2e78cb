package dev.lattice.mqtt;

/**
 * The MQTT topics of one device, named after its instance id (API.md "Sensors and controllers").
 *
 * <p>A device authenticated as {@code id} may publish to {@link #readings} and {@link #acks} and
 * subscribe to {@link #commands}; nothing else. Stateless and thread-safe.
 */
public final class DeviceTopics {
    private static final int MAX_ID_LENGTH = 200;

    private DeviceTopics() {}

    /** Where a sensor publishes its JSON readings: {@code sensors/{id}}. */
    public static String readings(String id) {
        return "sensors/" + id;
    }

    /** Where a controller receives commands: {@code controllers/{id}/commands}. */
    public static String commands(String id) {
        return "controllers/" + id + "/commands";
    }

    /** Where a controller acknowledges a command with {@code {"commandId"}}: {@code controllers/{id}/acks}. */
    public static String acks(String id) {
        return "controllers/" + id + "/acks";
    }

    /**
     * Whether {@code id} can name a device's topics: one non-empty topic level without MQTT
     * wildcards, so that {@code sensors/{id}} grants exactly one topic.
     */
    public static boolean isValidId(String id) {
        if (id == null || id.isEmpty() || id.length() > MAX_ID_LENGTH) return false;
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c == '/' || c == '+' || c == '#' || Character.isISOControl(c)) return false;
        }
        return true;
    }

    /** Whether a device authenticated as {@code id} may publish to {@code topic}. */
    public static boolean mayPublish(String id, String topic) {
        return isValidId(id) && (topic.equals(readings(id)) || topic.equals(acks(id)));
    }
}
