package dev.lattice.bus.state;

import dev.lattice.core.Json;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes observed state that each key has exactly one natural source for, such as a node's
 * report written by that node's own agent. Unlike {@link StateOwner} there is no single writer
 * of the kind and no version check: the many agents write their own keys, often (every second),
 * without transactions. Readers use an ordinary {@link StateView}; versions grow per writer
 * process and mean only "newer". Thread-safe.
 */
public final class StateReporter<T> {
    private final String kind;
    private final String topic;
    private final KafkaProducer<String, byte[]> producer;
    private final Clock clock;
    private final String by;
    private final AtomicLong version = new AtomicLong();
    private volatile java.time.Instant lastStored;

    /** Writes {@code kind}'s records to {@code topic}: its state topic, or a topic of this writer's own. */
    public StateReporter(String kind, String topic, KafkaProducer<String, byte[]> producer, Clock clock, String by) {
        this.kind = kind;
        this.topic = topic;
        this.producer = producer;
        this.clock = clock;
        this.by = by;
    }

    /** Sends the current value of {@code name} without waiting; a later one supersedes it. */
    public void put(String name, T value) {
        var record = new StateRecord(kind, name, version.incrementAndGet(), clock.instant(), by, Json.tree(value));
        producer.send(new ProducerRecord<>(topic, Versioned.key(kind, name), Json.bytes(record)), (metadata, error) -> {
            if (error == null) lastStored = clock.instant();
        });
    }

    /**
     * When Kafka last acknowledged a {@link #put} (empty before the first): a reporter that puts
     * every second can tell from it whether its own writes get through, i.e. whether the bus works.
     */
    public java.util.Optional<java.time.Instant> lastStored() {
        return java.util.Optional.ofNullable(lastStored);
    }

    /** What a reporter wrote: the name it wrote under, and the value (null: removed). */
    public record Reported<T>(String name, T value) {}

    /**
     * Reads back a record a reporter of {@code kind} wrote to a topic of its own (a relay's input);
     * empty when it is not one (another kind, a key that does not match its body, not JSON).
     */
    public static <T> java.util.Optional<Reported<T>> read(dev.lattice.bus.feed.BusRecord record, String kind, Class<T> type) {
        String prefix = kind + "/";
        if (record.key() == null || !record.key().startsWith(prefix)) return java.util.Optional.empty();
        String name = record.key().substring(prefix.length());
        if (record.value() == null) return java.util.Optional.of(new Reported<>(name, null));
        try {
            StateRecord r = Json.read(record.value(), StateRecord.class);
            if (!kind.equals(r.kind()) || !name.equals(r.name()) || r.value() == null) return java.util.Optional.empty();
            return java.util.Optional.of(new Reported<>(name, Json.convert(r.value(), type)));
        } catch (RuntimeException e) {
            return java.util.Optional.empty();
        }
    }

    /** Removes {@code name} (a tombstone). */
    public void remove(String name) {
        producer.send(new ProducerRecord<>(topic, Versioned.key(kind, name), null));
    }
}
