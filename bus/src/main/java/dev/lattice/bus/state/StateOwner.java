package dev.lattice.bus.state;

import dev.lattice.core.Json;
import dev.lattice.core.LatticeException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single writer of one kind: validates each write against the current version and appends
 * it to the kind's compacted topic.
 *
 * <p>Single-writer is enforced by Kafka, not by convention: the owner writes through a
 * transactional producer whose id is fixed per kind, so a second owner that starts (say, the
 * restarted service while a frozen old one lingers) fences the first; the fenced one can no
 * longer write and answers 503. Writes are serialised per kind and return only once the owner's
 * own view shows them, so a read after a write sees it. Thread-safe.
 */
public final class StateOwner<T> implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StateOwner.class);
    private static final Duration APPLY_TIMEOUT = Duration.ofSeconds(15);

    private final String kind;
    private final String topic;
    private final KafkaProducer<String, byte[]> producer;
    private final StateView<T> view;
    private final Clock clock;
    private final dev.lattice.bus.Fatal fatal;
    private volatile boolean fenced;
    private volatile boolean broken;

    StateOwner(String kind, String topic, KafkaProducer<String, byte[]> producer, StateView<T> view, Clock clock,
               dev.lattice.bus.Fatal fatal) {
        this.fatal = fatal;
        this.kind = kind;
        this.topic = topic;
        this.producer = producer;
        this.view = view;
        this.clock = clock;
    }

    public StateView<T> view() {
        return view;
    }

    /** Writes a new object; 409 if the name is taken. */
    public Versioned<T> create(String name, T value, String by) {
        return write(name, 0, value, by);
    }

    /** Replaces an object at {@code expectedVersion}; 409 if someone wrote it since, 404 if it is gone. */
    public Versioned<T> update(String name, long expectedVersion, T value, String by) {
        if (expectedVersion < 1) throw new IllegalArgumentException("an update needs the version read, not " + expectedVersion);
        return write(name, expectedVersion, value, by);
    }

    /** Deletes an object at {@code expectedVersion} (a tombstone on the topic). */
    public void delete(String name, long expectedVersion, String by) {
        write(name, expectedVersion, null, by);
    }

    private synchronized Versioned<T> write(String name, long expectedVersion, T value, String by) {
        if (fenced) throw fencedError();
        if (broken) throw LatticeException.unavailable("bus:owner-broken", "the owner of " + kind + " is restarting");
        long current = view.get(name).map(Versioned::version).orElse(0L);
        if (current != expectedVersion) {
            if (current == 0) throw LatticeException.notFound(kind + ":not-found", kind + " '" + name + "' does not exist");
            if (expectedVersion == 0) throw LatticeException.conflict(kind + ":exists", kind + " '" + name + "' already exists");
            throw LatticeException.conflict(kind + ":stale-version", kind + " '" + name + "' is at version " + current
                    + ", not " + expectedVersion + ": read it again and retry");
        }
        Versioned<T> next = value == null ? null
                : new Versioned<>(kind, name, current + 1, clock.instant(), by, value);
        byte[] bytes = next == null ? null : Json.bytes(new StateRecord(kind, name, next.version(),
                next.updatedAt(), by, Json.tree(value)));
        RecordMetadata meta = append(Versioned.key(kind, name), bytes);
        try {
            view.awaitApplied(new TopicPartition(meta.topic(), meta.partition()), meta.offset(), APPLY_TIMEOUT);
        } catch (IllegalStateException e) {
            // Committed but not seen: the next version check would read a stale view.
            broken = true;
            fatal.failed("the owner of " + kind + " (a committed write did not reach its view)", e);
            throw LatticeException.unavailable("bus:owner-broken", "the owner of " + kind + " is restarting");
        }
        return next;
    }

    private RecordMetadata append(String key, byte[] value) {
        try {
            producer.beginTransaction();
            var sent = producer.send(new ProducerRecord<>(topic, key, value));
            producer.commitTransaction();
            return sent.get();
        } catch (ProducerFencedException e) {
            fenced = true;
            log.error("another owner of {} has started; this one no longer writes", kind);
            throw fencedError();
        } catch (KafkaException e) {
            if (!abortQuietly()) {
                // Neither committed nor aborted (e.g. a commit timed out): the producer is unusable
                // and the outcome unknown; only a fresh owner, rebuilt from the log, is safe.
                broken = true;
                fatal.failed("the owner of " + kind + " (transaction state unknown)", e);
            }
            throw LatticeException.unavailable("bus:write-failed", "cannot write " + key + " to " + topic + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw LatticeException.unavailable("bus:interrupted", "interrupted writing " + key);
        } catch (ExecutionException e) {
            throw LatticeException.unavailable("bus:write-failed", "cannot write " + key + " to " + topic + ": " + e.getCause());
        }
    }

    private boolean abortQuietly() {
        try {
            producer.abortTransaction();
            return true;
        } catch (KafkaException e) {
            return false;
        }
    }

    private LatticeException fencedError() {
        return LatticeException.unavailable("bus:fenced", "this instance no longer owns " + kind + "; another one took over");
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
        view.close();
    }
}
