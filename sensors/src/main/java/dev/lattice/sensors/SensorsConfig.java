package dev.lattice.sensors;

import dev.lattice.core.Env;
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
        Env e = Env.of(env);
        Duration timeout = e.duration("LATTICE_COMMAND_TIMEOUT", Duration.ofSeconds(30));
        MqttSettings mqtt = null;
        if (!e.string("LATTICE_MQTT_PORT", "").equalsIgnoreCase("off")) {
            int p;
            try {
                p = e.port("LATTICE_MQTT_PORT", MqttSettings.DEFAULT_PORT);
            } catch (IllegalArgumentException bad) {
                throw new IllegalArgumentException(bad.getMessage() + ", nor 'off'");
            }
            mqtt = new MqttSettings(e.string("LATTICE_MQTT_HOST", null), p,
                    e.string("LATTICE_MQTT_DIR").map(Path::of).orElse(Path.of(System.getProperty("java.io.tmpdir"), "lattice-mqtt")));
        }
        return new SensorsConfig(timeout, mqtt, env);
    }
}
