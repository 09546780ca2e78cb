package dev.lattice.bus.state;

import dev.lattice.core.Json;
import dev.lattice.core.LatticeException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import java.util.function.Function;
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
 *
 * <p>An owner may also keep {@link Copies}: each object, written again to a compacted topic its
 * value names (the deployer's workloads, each on its node's topic), in the same transaction as the
 * object itself, and a tombstone on the old topic when the name changes. So a reader may be let read
 * only its share (ACLs are per topic) and the copies can never disagree with the objects: a reader
 * with {@code read_committed} sees both writes or neither, and nothing has to relay or reconcile them.
 */
public final class StateOwner<T> implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StateOwner.class);
    private static final Duration APPLY_TIMEOUT = Duration.ofSeconds(15);

    /**
     * Where copies go: {@code topicOf} names an object's copy topic, null for none; {@code ensure}
     * makes a topic before its first copy (a transaction's send would wait for a missing one).
     */
    public record Copies<T>(Function<T, String> topicOf, Consumer<String> ensure) {}

    private final String kind;
    private final String topic;
    private final KafkaProducer<String, byte[]> producer;
    private final StateView<T> view;
    private final Clock clock;
    private final dev.lattice.bus.Fatal fatal;
    private final Copies<T> copies;
    private final Set<String> ensured = ConcurrentHashMap.newKeySet();
    private volatile boolean fenced;
    private volatile boolean broken;

    StateOwner(String kind, String topic, KafkaProducer<String, byte[]> producer, StateView<T> view, Clock clock,
               dev.lattice.bus.Fatal fatal, Copies<T> copies) {
        this.fatal = fatal;
        this.copies = copies;
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
        Versioned<T> before = view.get(name).orElse(null);
        long current = before == null ? 0L : before.version();
        if (current != expectedVersion) {
            if (current == 0) throw LatticeException.notFound(kind + ":not-found", kind + " '" + name + "' does not exist");
            if (expectedVersion == 0) throw LatticeException.conflict(kind + ":exists", kind + " '" + name + "' already exists");
            throw LatticeException.conflict(kind + ":stale-version", kind + " '" + name + "' is at version " + current
                    + ", not " + expectedVersion + ": read it again and retry");
        }
        Versioned<T> next = value == null ? null
                : new Versioned<>(kind, name, current + 1, clock.instant(), by, value);
        byte[] bytes = next == null ? null : bytesOf(next);
        String key = Versioned.key(kind, name);
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        records.add(new ProducerRecord<>(topic, key, bytes));
        if (copies != null) {
            String from = before == null ? null : copies.topicOf().apply(before.value());
            String to = value == null ? null : copies.topicOf().apply(value);
            if (from != null && !from.equals(to)) records.add(new ProducerRecord<>(ensure(from), key, null));
            if (to != null) records.add(new ProducerRecord<>(ensure(to), key, bytes));
        }
        RecordMetadata meta = commit(records);
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

    /**
     * Writes every object's copy again, in one transaction, and returns how many: copies that a
     * version without them never made (an upgrade) are there after the owner's first start. The
     * same records again change nothing a reader sees.
     */
    public synchronized int recopy() {
        if (copies == null || fenced || broken) return 0;
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        for (Versioned<T> v : view.list()) {
            String to = copies.topicOf().apply(v.value());
            if (to == null) continue;
            records.add(new ProducerRecord<>(ensure(to), Versioned.key(kind, v.name()), bytesOf(v)));
        }
        if (!records.isEmpty()) commit(records);
        return records.size();
    }

    /** An object as its topic and its copies hold it. */
    private byte[] bytesOf(Versioned<T> v) {
        return Json.bytes(new StateRecord(kind, v.name(), v.version(), v.updatedAt(), v.updatedBy(), Json.tree(v.value())));
    }

    private String ensure(String copyTopic) {
        if (ensured.contains(copyTopic)) return copyTopic;
        try {
            copies.ensure().accept(copyTopic);
        } catch (RuntimeException e) {
            throw LatticeException.unavailable("bus:write-failed", "cannot make " + copyTopic + ": " + e.getMessage());
        }
        ensured.add(copyTopic);
        return copyTopic;
    }

    /** Appends {@code records} in one transaction; the first one's place. */
    private RecordMetadata commit(List<ProducerRecord<String, byte[]>> records) {
        String key = records.get(0).key();
        try {
            producer.beginTransaction();
            var sent = producer.send(records.get(0));
            for (var r : records.subList(1, records.size())) producer.send(r);
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
