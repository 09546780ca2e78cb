package dev.lattice.sensors.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lattice.api.sensors.Device;
import dev.lattice.api.sensors.DeviceTokens;
import dev.lattice.api.sensors.ReadingMetrics;
import dev.lattice.api.sensors.ReadingSink;
import dev.lattice.api.sensors.ReadingRecords;
import dev.lattice.api.sensors.SensorType;
import dev.lattice.bus.state.StateView;
import dev.lattice.bus.state.Versioned;
import dev.lattice.core.Json;
import dev.lattice.core.LatticeException;
import dev.lattice.mqtt.DeviceTopics;
import dev.lattice.mqtt.MqttBroker;
import dev.lattice.mqtt.MqttSettings;
import dev.lattice.sensors.control.CommandChannel;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects devices to the platform over the embedded MQTT broker: a device logs in with its
 * instance id and device token; a sensor's JSON readings on {@code sensors/{id}} are checked like
 * HTTP ones and go to Kafka (a reading that does not match is dropped and counted); a
 * controller's {@code {"commandId"}} on {@code controllers/{id}/acks} acknowledges a command; and
 * commands go out on {@code controllers/{id}/commands}. Thread-safe.
 */
public final class MqttBridge implements CommandChannel, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MqttBridge.class);

    private final StateView<SensorType> types;
    private final StateView<Device> sensors;
    private final StateView<Device> controllers;
    private final ReadingSink sink;
    private final Clock clock;
    private final ReadingMetrics metrics;
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private volatile MqttBroker broker;
    private volatile BiConsumer<String, String> acks = (controller, commandId) -> { };

    public MqttBridge(StateView<SensorType> types, StateView<Device> sensors, StateView<Device> controllers,
                      ReadingSink sink, Clock clock, ReadingMetrics metrics) {
        this.types = types;
        this.metrics = metrics;
        this.sensors = sensors;
        this.controllers = controllers;
        this.sink = sink;
        this.clock = clock;
    }

    /**
     * Starts the broker; {@code onAck} is told (controller id, command id) for every ack. A device
     * whose instance is deleted or made anew is disconnected at once: its old token is revoked.
     */
    public MqttBridge start(MqttSettings settings, BiConsumer<String, String> onAck) {
        this.acks = onAck;
        this.broker = MqttBroker.start(settings, (clientId, username, password) -> authenticate(username, password), this::published);
        sensors.onChange(c -> revokeIfReplaced(c.name(), c.before(), c.after()));
        controllers.onChange(c -> revokeIfReplaced(c.name(), c.before(), c.after()));
        log.info("MQTT listening on {}:{}", settings.host(), broker.port());
        return this;
    }

    private void revokeIfReplaced(String id, java.util.Optional<Versioned<Device>> before, java.util.Optional<Versioned<Device>> after) {
        boolean sameToken = before.isPresent() && after.isPresent()
                && before.get().value().tokenHash().equals(after.get().value().tokenHash());
        MqttBroker b = broker;
        if (before.isPresent() && !sameToken && b != null) {
            // On the view's thread: ask and do not wait (the disconnect completes on the broker's threads).
            b.disconnect(id).thenAccept(n -> {
                if (n > 0) log.info("disconnected {} MQTT session(s) of {}: its token is no longer valid", n, id);
            });
        }
    }

    public int port() {
        return broker == null ? -1 : broker.port();
    }

    /** Readings accepted and dropped over MQTT since start. */
    public long accepted() {
        return accepted.get();
    }

    public long rejected() {
        return rejected.get();
    }

    boolean authenticate(String id, byte[] password) {
        if (password == null) return false;
        Device device = sensors.get(id).or(() -> controllers.get(id)).map(Versioned::value).orElse(null);
        return device != null && DeviceTokens.matches(new String(password, StandardCharsets.UTF_8), device.tokenHash());
    }

    void published(String id, String topic, byte[] payload) {
        // A publish that raced a revocation: the instance must still exist (the session ends shortly).
        if (sensors.get(id).isEmpty() && controllers.get(id).isEmpty()) {
            rejected.incrementAndGet();
            metrics.refused("sensors:instance.not-found");
            return;
        }
        if (topic.equals(DeviceTopics.acks(id))) {
            acknowledge(id, payload);
            return;
        }
        try {
            Device sensor = sensors.get(id).map(Versioned::value).orElseThrow(() ->
                    LatticeException.notFound("sensors:instance.not-found", "no sensor instance '" + id + "'"));
            SensorType type = types.get(sensor.type()).map(Versioned::value).orElseThrow(() ->
                    LatticeException.conflict("sensors:type.missing", "sensor type '" + sensor.type() + "' is gone"));
            var readings = ReadingRecords.of(type, id, payload, clock.instant());
            for (byte[] r : readings) sink.fire(id, r, failed::incrementAndGet);
            accepted.addAndGet(readings.size());
            metrics.accepted(readings.size());
        } catch (LatticeException e) {
            long n = rejected.incrementAndGet();
            metrics.refused(e.code());
            // Devices may send many bad readings: log the first few and then every thousandth.
            if (n <= 10 || n % 1000 == 0) log.warn("dropped MQTT reading #{} from {}: {}", n, id, e.getMessage());
        }
    }

    private void acknowledge(String controllerId, byte[] payload) {
        try {
            JsonNode ack = Json.parse(payload, JsonNode.class);
            JsonNode commandId = ack.get("commandId");
            if (commandId != null && commandId.isTextual()) acks.accept(controllerId, commandId.asText());
        } catch (LatticeException e) {
            log.debug("unreadable ack from {}: {}", controllerId, e.getMessage());
        }
    }

    @Override
    public CompletableFuture<Boolean> deliver(String controllerId, byte[] payload, Duration timeout) {
        MqttBroker b = broker;
        if (b == null) return CompletableFuture.completedFuture(false);
        return b.publish(DeviceTopics.commands(controllerId), payload, timeout);
    }

    @Override
    public void close() {
        MqttBroker b = broker;
        broker = null;
        if (b != null) b.close();
        log.info("MQTT closed: {} readings accepted, {} dropped", accepted.get(), rejected.get());
    }
}
