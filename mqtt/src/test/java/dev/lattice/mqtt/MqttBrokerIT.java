package dev.lattice.mqtt;

import static dev.lattice.mqtt.TestDevices.bytes;
import static dev.lattice.mqtt.TestDevices.connect5;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5Subscribe;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import dev.lattice.mqtt.TestDevices.Received;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The broker against a real MQTT client: who may connect, publish and subscribe, and command delivery. */
class MqttBrokerIT {
    private static final Duration WAIT = Duration.ofSeconds(5);

    @TempDir
    static Path dir;
    static TestDevices devices;
    static MqttBroker broker;

    @BeforeAll
    static void start() {
        devices = new TestDevices();
        broker = MqttBroker.start(new MqttSettings("127.0.0.1", 0, dir), devices, devices);
    }

    @AfterAll
    static void stop() {
        if (broker != null) broker.close();
    }

    @BeforeEach
    void clearReceived() {
        devices.received.clear();
    }

    @Test
    void deviceWithItsTokenConnects() {
        String token = devices.add("s-ok");
        Mqtt5BlockingClient client = TestDevices.client5(broker.port());
        var connAck = client.connectWith().simpleAuth().username("s-ok").password(bytes(token)).applySimpleAuth().send();
        assertThat(connAck.getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);
        client.disconnect();
    }

    @Test
    void wrongTokenIsRefusedNotAuthorized() {
        devices.add("s-wrong");
        Mqtt5BlockingClient client = TestDevices.client5(broker.port());
        assertThatThrownBy(() -> client.connectWith().simpleAuth().username("s-wrong").password(bytes("guess")).applySimpleAuth().send())
                .isInstanceOfSatisfying(Mqtt5ConnAckException.class, e ->
                        assertThat(e.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED));
    }

    @Test
    void anotherDevicesTokenIsRefused() {
        devices.add("s-victim");
        String mine = devices.add("s-thief");
        Mqtt5BlockingClient client = TestDevices.client5(broker.port());
        assertThatThrownBy(() -> client.connectWith().simpleAuth().username("s-victim").password(bytes(mine)).applySimpleAuth().send())
                .isInstanceOf(Mqtt5ConnAckException.class);
    }

    @Test
    void missingCredentialsAreRefused() {
        assertThatThrownBy(() -> TestDevices.client5(broker.port()).connect())
                .isInstanceOfSatisfying(Mqtt5ConnAckException.class, e ->
                        assertThat(e.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED));
        devices.add("s-nopass");
        assertThatThrownBy(() -> TestDevices.client5(broker.port()).connectWith().simpleAuth().username("s-nopass").applySimpleAuth().send())
                .isInstanceOf(Mqtt5ConnAckException.class);
    }

    @Test
    void mqtt3ClientWithWrongTokenGetsNotAuthorized() {
        devices.add("s-v3");
        Mqtt3BlockingClient client = TestDevices.client3(broker.port());
        assertThatThrownBy(() -> client.connectWith().simpleAuth().username("s-v3").password(bytes("nope")).applySimpleAuth().send())
                .isInstanceOfSatisfying(Mqtt3ConnAckException.class, e ->
                        assertThat(e.getMqttMessage().getReturnCode()).isEqualTo(Mqtt3ConnAckReturnCode.NOT_AUTHORIZED));
    }

    @Test
    void wildcardUsernameIsRefusedBeforeTheAuthenticatorIsAsked() {
        Mqtt5BlockingClient client = TestDevices.client5(broker.port());
        assertThatThrownBy(() -> client.connectWith().simpleAuth().username("#").password(bytes("x")).applySimpleAuth().send())
                .isInstanceOf(Mqtt5ConnAckException.class);
    }

    @Test
    void sensorReadingReachesListenerWithUsernameTopicAndPayload() throws Exception {
        Mqtt5BlockingClient sensor = connect5(broker.port(), "s-1", devices.add("s-1"));
        var result = sensor.publishWith().topic("sensors/s-1").qos(MqttQos.AT_LEAST_ONCE).payload(bytes("{\"celsius\":21.5}")).send();
        // The listener runs before the PUBACK: the reading is there as soon as the publish returns.
        assertThat(devices.received.poll()).isEqualTo(new Received("s-1", "sensors/s-1", "{\"celsius\":21.5}"));
        // Taken by the listener and not routed on to subscribers (no one may have any): SUCCESS,
        // where a routed publish would get NO_MATCHING_SUBSCRIBERS.
        assertThat(((Mqtt5PublishResult.Mqtt5Qos1Result) result).getPubAck().getReasonCode()).isEqualTo(Mqtt5PubAckReasonCode.SUCCESS);
        sensor.disconnect();
    }

    @Test
    void controllerAckReachesListener() throws Exception {
        Mqtt5BlockingClient controller = connect5(broker.port(), "c-ack", devices.add("c-ack"));
        controller.publishWith().topic("controllers/c-ack/acks").qos(MqttQos.AT_LEAST_ONCE).payload(bytes("{\"commandId\":\"42\"}")).send();
        assertThat(devices.received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS))
                .isEqualTo(new Received("c-ack", "controllers/c-ack/acks", "{\"commandId\":\"42\"}"));
        controller.disconnect();
    }

    @Test
    void publishToAnotherSensorsTopicIsRefusedAndNeverReachesListener() throws Exception {
        devices.add("s-other");
        String token = devices.add("s-2");
        for (String topic : new String[] {"sensors/s-other", "sensors/s-2/extra", "controllers/s-2/commands", "anything"}) {
            Mqtt5BlockingClient sensor = connect5(broker.port(), "s-2", token);
            assertThatThrownBy(() -> sensor.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(bytes("{}")).send())
                    .as(topic)
                    .isInstanceOfSatisfying(Mqtt5PubAckException.class, e ->
                            assertThat(e.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED));
            // HiveMQ then closes the connection of a device that stepped outside its topics.
            awaitDisconnected(sensor);
        }
        // A later allowed publish arrives alone: nothing refused slipped through before it.
        Mqtt5BlockingClient sensor = connect5(broker.port(), "s-2", token);
        sensor.publishWith().topic("sensors/s-2").qos(MqttQos.AT_LEAST_ONCE).payload(bytes("{\"ok\":true}")).send();
        assertThat(devices.received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(new Received("s-2", "sensors/s-2", "{\"ok\":true}"));
        assertThat(devices.received).isEmpty();
        sensor.disconnect();
    }

    @Test
    void mqtt3ClientPublishingToAnotherSensorIsDisconnectedAndNothingArrives() throws Exception {
        devices.add("s-other3");
        Mqtt3BlockingClient sensor = TestDevices.client3(broker.port());
        sensor.connectWith().simpleAuth().username("s-3").password(bytes(devices.add("s-3"))).applySimpleAuth().send();
        try {
            sensor.publishWith().topic("sensors/s-other3").qos(MqttQos.AT_LEAST_ONCE).payload(bytes("{}")).send();
        } catch (RuntimeException expected) {
            // MQTT 3 has no negative PUBACK: the broker closes the connection instead.
        }
        awaitDisconnected(sensor);
        assertThat(devices.received).isEmpty();
    }

    @Test
    void subscribingToAnotherControllersCommandsIsRefused() {
        devices.add("c-other");
        Mqtt5BlockingClient controller = connect5(broker.port(), "c-1", devices.add("c-1"));
        assertThatThrownBy(() -> controller.subscribeWith().topicFilter("controllers/c-other/commands").qos(MqttQos.AT_LEAST_ONCE).send())
                .isInstanceOfSatisfying(Mqtt5SubAckException.class, e ->
                        assertThat(e.getMqttMessage().getReasonCodes()).containsExactly(Mqtt5SubAckReasonCode.NOT_AUTHORIZED));
        for (String filter : new String[] {"controllers/+/commands", "#", "sensors/c-1", "controllers/c-1/#"}) {
            assertThatThrownBy(() -> controller.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).send())
                    .as(filter).isInstanceOf(Mqtt5SubAckException.class);
        }
        var own = controller.subscribeWith().topicFilter("controllers/c-1/commands").qos(MqttQos.AT_LEAST_ONCE).send();
        assertThat(own.getReasonCodes()).containsExactly(Mqtt5SubAckReasonCode.GRANTED_QOS_1);
        controller.disconnect();
    }

    @Test
    void commandToSubscribedControllerCompletesTrueAndArrives() throws Exception {
        Mqtt5BlockingClient controller = connect5(broker.port(), "c-2", devices.add("c-2"));
        CompletableFuture<Mqtt5Publish> arrived = new CompletableFuture<>();
        controller.toAsync().subscribe(Mqtt5Subscribe.builder().topicFilter("controllers/c-2/commands").qos(MqttQos.AT_LEAST_ONCE).build(),
                arrived::complete).get();

        boolean delivered = broker.publish("controllers/c-2/commands", bytes("{\"commandId\":\"7\",\"command\":\"open\"}"), WAIT)
                .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);

        assertThat(delivered).isTrue();
        Mqtt5Publish command = arrived.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(new String(command.getPayloadAsBytes(), StandardCharsets.UTF_8)).isEqualTo("{\"commandId\":\"7\",\"command\":\"open\"}");
        assertThat(command.getUserProperties().asList()).as("the delivery id stays inside the broker").isEmpty();
        assertThat(devices.received).as("server publishes are not device publishes").isEmpty();
        controller.disconnect();
    }

    @Test
    void commandCompletesOnlyWhenTheControllerAcknowledges() throws Exception {
        Mqtt5BlockingClient controller = connect5(broker.port(), "c-3", devices.add("c-3"));
        CompletableFuture<Mqtt5Publish> arrived = new CompletableFuture<>();
        controller.toAsync().subscribe(Mqtt5Subscribe.builder().topicFilter("controllers/c-3/commands").qos(MqttQos.AT_LEAST_ONCE).build(),
                arrived::complete, true).get();

        CompletableFuture<Boolean> delivered = broker.publish("controllers/c-3/commands", bytes("{\"commandId\":\"8\"}"), WAIT);
        Mqtt5Publish command = arrived.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        Thread.sleep(200);
        assertThat(delivered).as("written but not yet acknowledged").isNotDone();
        command.acknowledge();
        assertThat(delivered.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        controller.disconnect();
    }

    @Test
    void commandNeverAcknowledgedCompletesFalseAfterTheTimeout() throws Exception {
        Mqtt5BlockingClient controller = connect5(broker.port(), "c-4", devices.add("c-4"));
        CompletableFuture<Mqtt5Publish> arrived = new CompletableFuture<>();
        controller.toAsync().subscribe(Mqtt5Subscribe.builder().topicFilter("controllers/c-4/commands").qos(MqttQos.AT_LEAST_ONCE).build(),
                arrived::complete, true).get();

        long start = System.nanoTime();
        boolean delivered = broker.publish("controllers/c-4/commands", bytes("{\"commandId\":\"9\"}"), Duration.ofMillis(700))
                .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);

        assertThat(delivered).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(650));
        assertThat(arrived).isDone();
        controller.disconnect();
    }

    @Test
    void commandToQos0SubscriberCompletesTrueWhenWritten() throws Exception {
        Mqtt5BlockingClient controller = connect5(broker.port(), "c-5", devices.add("c-5"));
        CompletableFuture<Mqtt5Publish> arrived = new CompletableFuture<>();
        controller.toAsync().subscribe(Mqtt5Subscribe.builder().topicFilter("controllers/c-5/commands").qos(MqttQos.AT_MOST_ONCE).build(),
                arrived::complete).get();

        assertThat(broker.publish("controllers/c-5/commands", bytes("{\"commandId\":\"10\"}"), WAIT).get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        assertThat(arrived.get(WAIT.toMillis(), TimeUnit.MILLISECONDS).getQos()).isEqualTo(MqttQos.AT_MOST_ONCE);
        controller.disconnect();
    }

    @Test
    void commandWithNobodySubscribedCompletesFalseAtOnce() throws Exception {
        long start = System.nanoTime();
        boolean delivered = broker.publish("controllers/nobody/commands", bytes("{\"commandId\":\"11\"}"), Duration.ofSeconds(30))
                .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(delivered).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void publishToAWildcardTopicIsRejected() {
        for (String topic : new String[] {"controllers/+/commands", "controllers/#", ""}) {
            assertThatThrownBy(() -> broker.publish(topic, bytes("{}"), WAIT)).as(topic).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void listenerFailureDoesNotCostTheDeviceItsConnection() throws Exception {
        Mqtt5BlockingClient sensor = connect5(broker.port(), "s-boom", devices.add("s-boom"));
        sensor.publishWith().topic("sensors/s-boom").qos(MqttQos.AT_LEAST_ONCE).payload(TestDevices.FAILING_PAYLOAD).send();
        sensor.publishWith().topic("sensors/s-boom").qos(MqttQos.AT_LEAST_ONCE).payload(bytes("{}")).send();
        assertThat(devices.received).containsExactly(new Received("s-boom", "sensors/s-boom", "{}"));
        assertThat(sensor.getState().isConnected()).isTrue();
        sensor.disconnect();
    }

    private static void awaitDisconnected(MqttClient client) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (client.getState().isConnected() && System.nanoTime() < deadline) Thread.sleep(10);
        assertThat(client.getState().isConnected()).as("disconnected by the broker").isFalse();
    }
}
