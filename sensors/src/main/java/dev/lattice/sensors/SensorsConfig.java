package dev.lattice.sensors;

import dev.lattice.mqtt.MqttSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The sensors service's settings.
 *
 * @param commandTimeout how long a command may wait for delivery ({@code LATTICE_COMMAND_TIMEOUT}, ISO-8601, default 30 s)
 * @param mqtt           the embedded MQTT broker, or null for none ({@code LATTICE_MQTT_PORT}: default 1883,
 *                       {@code off} for none; {@code LATTICE_MQTT_HOST}; {@code LATTICE_MQTT_DIR} for its files)
 * @param env            the environment, for topic settings such as {@code LATTICE_READINGS_RETENTION}
 */
public record SensorsConfig(Duration commandTimeout, MqttSettings mqtt, Map<String, String> env) {

    public SensorsConfig {
        if (commandTimeout == null) commandTimeout = Duration.ofSeconds(30);
        if (commandTimeout.isNegative() || commandTimeout.isZero()) {
            throw new IllegalArgumentException("LATTICE_COMMAND_TIMEOUT must be positive");
        }
        env = Map.copyOf(env);
    }

    public static SensorsConfig fromEnv(Map<String, String> env) {
        Duration timeout = null;
        String t = env.get("LATTICE_COMMAND_TIMEOUT");
        if (t != null && !t.isBlank()) {
            try {
                timeout = Duration.parse(t);
            } catch (java.time.format.DateTimeParseException e) {
                throw new IllegalArgumentException("LATTICE_COMMAND_TIMEOUT: '" + t + "' is not an ISO-8601 duration such as PT30S");
            }
        }
        String port = env.getOrDefault("LATTICE_MQTT_PORT", Integer.toString(MqttSettings.DEFAULT_PORT)).trim();
        MqttSettings mqtt = null;
        if (!port.equalsIgnoreCase("off")) {
            int p;
            try {
                p = Integer.parseInt(port);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("LATTICE_MQTT_PORT: '" + port + "' is neither a port nor 'off'");
            }
            String dir = env.get("LATTICE_MQTT_DIR");
            mqtt = new MqttSettings(env.get("LATTICE_MQTT_HOST"), p,
                    dir == null || dir.isBlank() ? Path.of(System.getProperty("java.io.tmpdir"), "lattice-mqtt") : Path.of(dir));
        }
        return new SensorsConfig(timeout, mqtt, env);
    }
}
