package dev.lattice.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lattice.core.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Every record of {@code lattice.events} (placed, started, failed, restarted, rescheduled,
 * node-not-ready, ...), read from the start by a plain consumer. The benchmark does not time
 * anything by them; it uses their timestamps (each written by the service that acted, on this
 * machine's clock) to say where the measured time went: deployer, agent, or reporting.
 */
final class EventLog implements AutoCloseable {
    record Event(Instant ts, String kind, String subject, String message) {}

    private static final String TOPIC = "lattice.events";
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread thread;
    private final List<Event> events = new ArrayList<>();
    private volatile boolean running = true;

    EventLog(Properties client) {
        Properties p = new Properties();
        p.putAll(client);
        p.put("key.deserializer", ByteArrayDeserializer.class.getName());
        p.put("value.deserializer", ByteArrayDeserializer.class.getName());
        p.put("fetch.max.wait.ms", "50");
        consumer = new KafkaConsumer<>(p);
        List<TopicPartition> parts = consumer.partitionsFor(TOPIC).stream().map(i -> new TopicPartition(TOPIC, i.partition())).toList();
        consumer.assign(parts);
        consumer.seekToBeginning(parts);
        thread = Thread.ofPlatform().daemon().name("events").start(this::run);
    }

    private void run() {
        while (running) {
            for (var r : consumer.poll(Duration.ofMillis(100))) {
                try {
                    JsonNode e = Json.read(r.value(), JsonNode.class);
                    Event ev = new Event(Instant.parse(e.get("ts").asText()), e.path("kind").asText(), e.path("subject").asText(),
                            e.path("message").asText());
                    synchronized (events) {
                        events.add(ev);
                    }
                } catch (RuntimeException bad) {
                    // not an event we can read: it cannot explain any timing either
                }
            }
        }
        consumer.close(Duration.ofSeconds(2));
    }

    /** The first event of {@code kind} about {@code subject} at or after {@code after}, among those read so far. */
    Optional<Event> first(String kind, String subject, Instant after) {
        synchronized (events) {
            for (Event e : events) {
                if (e.kind().equals(kind) && e.subject().equals(subject) && !e.ts().isBefore(after)) return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    /** The events of {@code kind} read so far, oldest first. */
    List<Event> all(String kind) {
        synchronized (events) {
            return events.stream().filter(e -> e.kind().equals(kind)).toList();
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(5000);
    }
}
