package dev.lattice.bus.feed;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Appends records to stream topics (readings, app outputs, events) through an idempotent
 * {@code acks=all} producer: a record with the same key lands in the same partition, in the order
 * sent. No Kafka type leaves it. Thread-safe; the bus owns and closes the producer.
 */
public final class Writer {
    /** Where a record was stored: enough for a read-your-writes wait on a {@link Follower}. */
    public record Written(int partition, long offset) {}

    private final KafkaProducer<String, byte[]> producer;

    public Writer(KafkaProducer<String, byte[]> producer) {
        this.producer = producer;
    }

    /** Completes once the record is stored, or exceptionally with Kafka's reason. */
    public CompletableFuture<Written> send(String topic, String key, byte[] value) {
        CompletableFuture<Written> done = new CompletableFuture<>();
        producer.send(new ProducerRecord<>(topic, key, value), (meta, error) -> {
            if (error != null) done.completeExceptionally(error);
            else done.complete(new Written(meta.partition(), meta.offset()));
        });
        return done;
    }

    /** Sends without a future (the cheaper path, for senders that get no answer); {@code onFailure} may be null. */
    public void fire(String topic, String key, byte[] value, Consumer<Exception> onFailure) {
        producer.send(new ProducerRecord<>(topic, key, value), onFailure == null ? null : (meta, error) -> {
            if (error != null) onFailure.accept(error);
        });
    }
}
