package dev.lattice.api.sensors;

import dev.lattice.bus.feed.Writer.Written;
import dev.lattice.bus.feed.Writer;
import dev.lattice.core.LatticeException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

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

    private final Writer writer;

    /** @param writer best one of its own, made with {@link #PRODUCER} */
    public ReadingSink(Writer writer) {
        this.writer = writer;
    }

    public CompletableFuture<Written> publish(Reading reading) {
        // The record's own timestamp is when it was stored (the reading's ts may be old: a device's
        // buffered history), so retention and the gateway's look-back work on arrival time.
        return send(reading.instance(), reading.toJson());
    }

    /**
     * Publishes a record {@link ReadingRecords} made without waiting or tracking: for devices that
     * get no answer anyway (MQTT); {@code onFailure} counts what Kafka did not take.
     */
    public void fire(String instance, byte[] record, Runnable onFailure) {
        writer.fire(Reading.TOPIC, instance, record, error -> onFailure.run());
    }

    /** Publishes the records {@link ReadingRecords} made of one instance's readings; completes when all are stored, with the metadata of the last. */
    public CompletableFuture<Written> publishAll(String instance, List<byte[]> records) {
        @SuppressWarnings("unchecked")
        CompletableFuture<Written>[] all = new CompletableFuture[records.size()];
        for (int i = 0; i < all.length; i++) all[i] = send(instance, records.get(i));
        if (all.length == 0) return CompletableFuture.completedFuture(null);
        CompletableFuture<Written> last = all[all.length - 1];
        return CompletableFuture.allOf(all).thenCompose(v -> last);
    }

    private CompletableFuture<Written> send(String instance, byte[] record) {
        return writer.send(Reading.TOPIC, instance, record).exceptionallyCompose(error ->
                CompletableFuture.failedFuture(LatticeException.unavailable("sensors:readings.write",
                        "cannot store the reading of " + instance + ": " + error.getMessage())));
    }
}
