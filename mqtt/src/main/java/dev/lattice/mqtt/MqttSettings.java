package dev.lattice.mqtt;

import java.nio.file.Path;

/**
 * Where the embedded broker listens and keeps its files.
 *
 * @param host    interface to listen on ({@code mqtt.host}, default {@code 0.0.0.0}, all)
 * @param port    TCP port for MQTT ({@code mqtt.port}, default 1883; 0 picks a free one,
 *                read it back from {@link MqttBroker#port()})
 * @param dataDir directory for the broker's own files ({@code mqtt.data-dir}): its generated
 *                configuration, its id file and the native library it unpacks; created if missing.
 *                Sessions and queued messages are kept in memory only.
 */
public record MqttSettings(String host, int port, Path dataDir) {
    public static final String DEFAULT_HOST = "0.0.0.0";
    public static final int DEFAULT_PORT = 1883;

    public MqttSettings {
        if (host == null || host.isBlank()) host = DEFAULT_HOST;
        if (port < 0 || port > 65535) throw new IllegalArgumentException("mqtt.port: " + port + " is not a port");
        if (dataDir == null) throw new IllegalArgumentException("mqtt.data-dir is required");
    }

    /** The defaults of the API (all interfaces, port 1883) with files under {@code dataDir}. */
    public static MqttSettings defaults(Path dataDir) {
        return new MqttSettings(DEFAULT_HOST, DEFAULT_PORT, dataDir);
    }
}
