package dev.lattice.mqtt;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;

/** Devices with known tokens, a listener that records what arrives, and MQTT clients that log in as them. */
final class TestDevices implements DeviceAuthenticator, PublishListener {
    /** One publish as the listener saw it. */
    record Received(String username, String topic, String payload) {}

    /** A payload the listener throws on. */
    static final byte[] FAILING_PAYLOAD = bytes("boom");

    final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final Map<String, byte[]> tokens = new ConcurrentHashMap<>();

    /** Registers a device and returns its token. */
    String add(String id) {
        String token = "tok-" + UUID.randomUUID();
        tokens.put(id, token.getBytes(StandardCharsets.UTF_8));
        return token;
    }

    @Override
    public boolean authenticate(String clientId, String username, byte[] password) {
        byte[] expected = tokens.get(username);
        return expected != null && Arrays.equals(expected, password);
    }

    @Override
    public void published(String username, String topic, byte[] payload) {
        if (Arrays.equals(payload, FAILING_PAYLOAD)) throw new IllegalStateException("listener fails on purpose");
        received.add(new Received(username, topic, new String(payload, StandardCharsets.UTF_8)));
    }

    static Mqtt5BlockingClient client5(int port) {
        return MqttClient.builder().useMqttVersion5().identifier("it-" + UUID.randomUUID())
                .serverHost("127.0.0.1").serverPort(port).buildBlocking();
    }

    static Mqtt3BlockingClient client3(int port) {
        return MqttClient.builder().useMqttVersion3().identifier("it-" + UUID.randomUUID())
                .serverHost("127.0.0.1").serverPort(port).buildBlocking();
    }

    /** An MQTT 5 client connected as {@code id} with {@code token}. */
    static Mqtt5BlockingClient connect5(int port, String id, String token) {
        Mqtt5BlockingClient client = client5(port);
        client.connectWith().simpleAuth().username(id).password(bytes(token)).applySimpleAuth().send();
        return client;
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
