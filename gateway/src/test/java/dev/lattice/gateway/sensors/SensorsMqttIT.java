package dev.lattice.gateway.sensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import dev.lattice.core.Json;
import dev.lattice.gateway.TestHttp;
import dev.lattice.gateway.TestPlatform;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Devices over MQTT against the platform: readings land (or are dropped), commands travel and are acknowledged. */
class SensorsMqttIT {
    private static TestHttp http;
    private static String configurer;

    @BeforeAll
    static void users() {
        http = TestPlatform.http();
        String admin = http.login("admin", TestPlatform.ADMIN_PASSWORD);
        http.ensureUser(admin, "mqtt-configurer", "configurer-pw", "platform-configurer");
        configurer = http.login("mqtt-configurer", "configurer-pw");
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 6);
    }

    private static JsonNode created(String path, String body) {
        TestHttp.Response r = http.post(path, configurer, body);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json();
    }

    private static Mqtt5BlockingClient connect(String id, String token) {
        Mqtt5BlockingClient client = MqttClient.builder().useMqttVersion5().identifier(unique("it"))
                .serverHost("127.0.0.1").serverPort(TestPlatform.mqttPort()).buildBlocking();
        client.connectWith().simpleAuth().username(id).password(token.getBytes(StandardCharsets.UTF_8)).applySimpleAuth().send();
        return client;
    }

    private static void eventually(Supplier<Boolean> done, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.get()) {
            if (System.nanoTime() > deadline) throw new AssertionError("not within " + timeout);
            Thread.sleep(100);
        }
    }

    @Test
    void aSensorPublishesReadingsAndBadOnesAreDropped() throws Exception {
        String type = unique("thermo");
        created("/api/v1/sensor-types", "{\"name\":\"" + type + "\",\"fields\":[{\"name\":\"celsius\",\"type\":\"number\"}]}");
        JsonNode sensor = created("/api/v1/sensor-instances", "{\"type\":\"" + type + "\",\"location\":{\"label\":\"m\"}}");
        String id = sensor.get("id").asText();
        Mqtt5BlockingClient device = connect(id, sensor.get("token").asText());
        try {
            device.publishWith().topic("sensors/" + id).qos(MqttQos.AT_LEAST_ONCE).payload("{\"celsius\":\"warm\"}".getBytes()).send();
            device.publishWith().topic("sensors/" + id).qos(MqttQos.AT_LEAST_ONCE).payload("{\"celsius\":17.75}".getBytes()).send();
        } finally {
            device.disconnect();
        }
        String path = "/api/v1/sensor-instances/" + id + "/readings";
        eventually(() -> http.get(path, configurer).json().size() == 1, Duration.ofSeconds(5));
        Thread.sleep(300);
        JsonNode readings = http.get(path, configurer).json();
        assertThat(readings).hasSize(1);
        assertThat(readings.get(0).get("values").get("celsius").asDouble()).isEqualTo(17.75);
    }

    @Test
    void aWrongTokenOrAnotherDevicesTokenIsRefused() {
        String type = unique("thermo");
        created("/api/v1/sensor-types", "{\"name\":\"" + type + "\",\"fields\":[{\"name\":\"celsius\",\"type\":\"number\"}]}");
        JsonNode a = created("/api/v1/sensor-instances", "{\"type\":\"" + type + "\",\"location\":{\"label\":\"a\"}}");
        JsonNode b = created("/api/v1/sensor-instances", "{\"type\":\"" + type + "\",\"location\":{\"label\":\"b\"}}");
        assertThatThrownBy(() -> connect(a.get("id").asText(), "ltd_nope")).isInstanceOf(Mqtt5ConnAckException.class);
        assertThatThrownBy(() -> connect(a.get("id").asText(), b.get("token").asText())).isInstanceOf(Mqtt5ConnAckException.class);
    }

    @Test
    void deletingAnInstanceEndsItsSession() throws Exception {
        String type = unique("thermo");
        created("/api/v1/sensor-types", "{\"name\":\"" + type + "\",\"fields\":[{\"name\":\"celsius\",\"type\":\"number\"}]}");
        JsonNode sensor = created("/api/v1/sensor-instances", "{\"type\":\"" + type + "\",\"location\":{\"label\":\"gone\"}}");
        String id = sensor.get("id").asText();
        Mqtt5BlockingClient device = connect(id, sensor.get("token").asText());
        assertThat(device.getState().isConnected()).isTrue();
        assertThat(http.send("DELETE", "/api/v1/sensor-instances/" + id, configurer, null).status()).isEqualTo(204);
        eventually(() -> !device.getState().isConnected(), Duration.ofSeconds(5));
    }

    @Test
    void aFailedCommandStaysFailedWhateverALateAckSays() throws Exception {
        String type = unique("valve");
        created("/api/v1/controller-types", "{\"name\":\"" + type + "\",\"commands\":[{\"name\":\"close\"}]}");
        JsonNode controller = created("/api/v1/controller-instances", "{\"type\":\"" + type + "\",\"location\":{\"label\":\"late\"}}");
        String id = controller.get("id").asText();
        String path = "/api/v1/controller-instances/" + id + "/commands";
        String commandId = http.post(path, configurer, "{\"command\":\"close\"}").json().get("commandId").asText();
        eventually(() -> http.get(path, configurer).json().get(0).get("status").asText().equals("failed"), Duration.ofSeconds(10));
        Mqtt5BlockingClient device = connect(id, controller.get("token").asText());
        try {
            device.publishWith().topic("controllers/" + id + "/acks").qos(MqttQos.AT_LEAST_ONCE)
                    .payload(("{\"commandId\":\"" + commandId + "\"}").getBytes()).send();
        } finally {
            device.disconnect();
        }
        Thread.sleep(500);
        assertThat(http.get(path, configurer).json().get(0).get("status").asText()).isEqualTo("failed");
    }

    @Test
    void aCommandIsDeliveredToTheSubscribedControllerAndAcknowledged() throws Exception {
        String type = unique("valve");
        created("/api/v1/controller-types", "{\"name\":\"" + type + "\",\"commands\":[{\"name\":\"open\",\"params\":[{\"name\":\"percent\",\"type\":\"integer\"}]}]}");
        JsonNode controller = created("/api/v1/controller-instances", "{\"type\":\"" + type + "\",\"location\":{\"label\":\"c\"}}");
        String id = controller.get("id").asText();
        Mqtt5BlockingClient device = connect(id, controller.get("token").asText());
        try (var publishes = device.publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL)) {
            device.subscribeWith().topicFilter("controllers/" + id + "/commands").qos(MqttQos.AT_LEAST_ONCE).send();
            String path = "/api/v1/controller-instances/" + id + "/commands";
            TestHttp.Response sent = http.post(path, configurer, "{\"command\":\"open\",\"params\":{\"percent\":25}}");
            assertThat(sent.status()).isEqualTo(202);
            String commandId = sent.json().get("commandId").asText();

            var message = publishes.receive(10, TimeUnit.SECONDS).orElseThrow(() -> new AssertionError("no command arrived"));
            JsonNode command = Json.read(message.getPayloadAsBytes(), JsonNode.class);
            assertThat(command.get("commandId").asText()).isEqualTo(commandId);
            assertThat(command.get("params").get("percent").asInt()).isEqualTo(25);
            eventually(() -> http.get(path, configurer).json().get(0).get("status").asText().equals("delivered"), Duration.ofSeconds(5));

            device.publishWith().topic("controllers/" + id + "/acks").qos(MqttQos.AT_LEAST_ONCE)
                    .payload(("{\"commandId\":\"" + commandId + "\"}").getBytes()).send();
            eventually(() -> http.get(path, configurer).json().get(0).get("status").asText().equals("acknowledged"), Duration.ofSeconds(5));
        } finally {
            device.disconnect();
        }
    }
}
