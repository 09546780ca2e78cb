package dev.lattice.mqtt.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The {@code config.xml} HiveMQ CE reads at start, written by Lattice rather than taken from the
 * jar: the bundled one turns anonymous usage statistics on and listens on every interface.
 */
public final class HiveMqConfig {
    /** Largest MQTT packet accepted; a reading or a command is a small JSON object. */
    public static final int MAX_PACKET_BYTES = 256 * 1024;
    /** How long the session of a disconnected client with a persistent session is kept. */
    public static final int SESSION_EXPIRY_SECONDS = 3600;

    private HiveMqConfig() {}

    /** The configuration for one TCP listener on {@code host:port}, in-memory persistence, no statistics. */
    public static String xml(String host, int port) {
        return """
                <?xml version="1.0"?>
                <!-- Written by Lattice at every start (dev.lattice.mqtt); edits are overwritten. -->
                <hivemq>
                    <listeners>
                        <tcp-listener>
                            <port>%d</port>
                            <bind-address>%s</bind-address>
                            <name>lattice-devices</name>
                        </tcp-listener>
                    </listeners>
                    <mqtt>
                        <packets><max-packet-size>%d</max-packet-size></packets>
                        <session-expiry><max-interval>%d</max-interval></session-expiry>
                    </mqtt>
                    <persistence><mode>in-memory</mode></persistence>
                    <anonymous-usage-statistics><enabled>false</enabled></anonymous-usage-statistics>
                </hivemq>
                """.formatted(port, escape(host), MAX_PACKET_BYTES, SESSION_EXPIRY_SECONDS);
    }

    /** Writes {@link #xml} as {@code configDir/config.xml}. */
    public static void write(Path configDir, String host, int port) {
        try {
            Files.createDirectories(configDir);
            Files.writeString(configDir.resolve("config.xml"), xml(host, port));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the MQTT broker's configuration in " + configDir, e);
        }
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
