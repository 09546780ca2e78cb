package dev.lattice.sensors;

import dev.lattice.core.Json;
import dev.lattice.core.LatticeException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Appends checked readings to {@code lattice.readings}, keyed by instance so that each sensor's
 * readings stay in order. Every entry point (HTTP, MQTT, simulators) goes through here. Thread-safe.
 */
public final class ReadingSink {
    /**
     * Producer settings for readings: acks=all and idempotence as everywhere, plus 2 ms of linger
     * and lz4, so that thousands of small readings a second travel as batches (bench/ingest).
     */
    public static final Map<String, String> PRODUCER = Map.of("linger.ms", "2", "batch.size", "131072", "compression.type", "lz4");

    private final KafkaProducer<String, byte[]> producer;

    public ReadingSink(KafkaProducer<String, byte[]> producer) {
        this.producer = producer;
    }

    public CompletableFuture<RecordMetadata> publish(Reading reading) {
        CompletableFuture<RecordMetadata> done = new CompletableFuture<>();
        // The record's own timestamp is when it was stored (the reading's ts may be old: a device's
        // buffered history), so retention and the gateway's look-back work on arrival time.
        producer.send(new ProducerRecord<>(Reading.TOPIC, reading.instance(), reading.toJson()),
                (meta, error) -> {
                    if (error != null) {
                        done.completeExceptionally(LatticeException.unavailable("sensors:readings.write",
                                "cannot store the reading of " + reading.instance() + ": " + error.getMessage()));
                    } else {
                        done.complete(meta);
                    }
                });
        return done;
    }

    /** Publishes without waiting or tracking: for devices that get no answer anyway (MQTT, simulators). */
    public void fire(Reading reading, Runnable onFailure) {
        producer.send(new ProducerRecord<>(Reading.TOPIC, reading.instance(), reading.toJson()),
                (meta, error) -> {
                    if (error != null) onFailure.run();
                });
    }

    /** Publishes a batch; completes when all are stored, with the metadata of the last. */
    public CompletableFuture<RecordMetadata> publishAll(List<Reading> readings) {
        CompletableFuture<RecordMetadata> last = CompletableFuture.completedFuture(null);
        @SuppressWarnings("unchecked")
        CompletableFuture<RecordMetadata>[] all = readings.stream().map(this::publish).toArray(CompletableFuture[]::new);
        if (all.length > 0) last = all[all.length - 1];
        CompletableFuture<RecordMetadata> result = last;
        return CompletableFuture.allOf(all).thenCompose(v -> result);
    }
}
