package dev.lattice.bus.state;

import dev.lattice.core.Json;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A read-only, in-memory view of one kind, rebuilt by reading its compacted topic from the
 * beginning and then kept current by following it.
 *
 * <p>This is the only recovery path: a restarted service builds its views again from the log.
 * Reads ({@link #get}, {@link #list}) are thread-safe and never block. A {@link ViewReader}
 * feeds the view from its own thread, one reader for many views of a process (one Kafka consumer
 * instead of one each); listeners run on that thread, after the view has changed.
 */
public final class StateView<T> implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StateView.class);

    /** What changed: {@code after} is empty for a deletion, {@code before} for a creation. */
    public record Change<T>(String name, Optional<Versioned<T>> before, Optional<Versioned<T>> after) {}

    private final String kind;
    private final Class<T> type;
    private final String topic;
    private final ViewReader reader;
    private final Map<String, Versioned<T>> items = new ConcurrentHashMap<>();
    private final List<Consumer<Change<T>>> listeners = new CopyOnWriteArrayList<>();
    private final Map<TopicPartition, Long> positions = new HashMap<>();
    private final Object progress = new Object();
    private Map<TopicPartition, Long> startEnd;
    private volatile boolean caughtUp;
    private volatile boolean closed;
    private volatile RuntimeException failure;

    StateView(String kind, Class<T> type, String topic, ViewReader reader) {
        this.kind = kind;
        this.type = type;
        this.topic = topic;
        this.reader = reader;
    }

    public String kind() {
        return kind;
    }

    String topic() {
        return topic;
    }

    public Optional<Versioned<T>> get(String name) {
        return Optional.ofNullable(items.get(name));
    }

    /** Every object of the kind, ordered by name. */
    public List<Versioned<T>> list() {
        return items.values().stream().sorted(Comparator.comparing(Versioned::name)).toList();
    }

    public int size() {
        return items.size();
    }

    /**
     * Runs {@code listener} on every later change (not for what is already in the view), on the
     * reader's thread, which other views of the process share: a listener must be quick and must
     * not wait for any view, e.g. by writing through an owner (that write waits for a view to apply it).
     */
    public void onChange(Consumer<Change<T>> listener) {
        listeners.add(listener);
    }

    /** Waits until the view holds everything that was on the topic when the view started. */
    public void awaitCaughtUp(Duration timeout) {
        waitFor(() -> caughtUp, timeout, "the " + kind + " view to catch up with " + topic);
    }

    /** Waits until the view has applied the record at {@code offset} (read-your-writes for the owner). */
    void awaitApplied(TopicPartition partition, long offset, Duration timeout) {
        waitFor(() -> positions.getOrDefault(partition, 0L) > offset, timeout,
                "the " + kind + " view to apply offset " + offset);
    }

    /**
     * Waits up to {@code timeout} until the view holds {@code name}: read-your-writes for a process
     * that asked another service to write it, whose answer may come before this view applies the
     * record. False if it is not there by then.
     */
    public boolean awaitPresent(String name, Duration timeout) {
        return waitUntil(() -> items.containsKey(name), timeout, kind + "/" + name);
    }

    /** As {@link #awaitPresent}, until the view no longer holds {@code name} (a deletion seen). */
    public boolean awaitAbsent(String name, Duration timeout) {
        return waitUntil(() -> !items.containsKey(name), timeout, "no " + kind + "/" + name);
    }

    private void waitFor(java.util.function.BooleanSupplier done, Duration timeout, String what) {
        if (!waitUntil(done, timeout, what)) throw new IllegalStateException("timed out after " + timeout + " waiting for " + what);
    }

    private boolean waitUntil(java.util.function.BooleanSupplier done, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (progress) {
            while (!done.getAsBoolean()) {
                if (failure != null) throw new IllegalStateException("the " + kind + " view failed", failure);
                long left = deadline - System.nanoTime();
                if (left <= 0) return false;
                try {
                    progress.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted waiting for " + what, e);
                }
            }
        }
        return true;
    }

    /** Reader thread: the view starts from the beginning of its partitions, whose ends are these. */
    void started(Map<TopicPartition, Long> endOffsets) {
        synchronized (progress) {
            startEnd = Map.copyOf(endOffsets);
        }
    }

    /** Reader thread: where the reader stands on this view's partitions after a poll. */
    void advanced(Map<TopicPartition, Long> reached) {
        synchronized (progress) {
            positions.putAll(reached);
            if (!caughtUp && startEnd != null && startEnd.entrySet().stream()
                    .allMatch(e -> positions.getOrDefault(e.getKey(), 0L) >= e.getValue())) {
                caughtUp = true;
                log.debug("view {} caught up with {} objects", kind, items.size());
            }
            progress.notifyAll();
        }
    }

    /** Reader thread: the reader broke; waiters learn why. */
    void failed(RuntimeException e) {
        failure = e;
        synchronized (progress) {
            progress.notifyAll();
        }
    }

    /** Reader thread: applies one record of the view's topic. */
    void apply(ConsumerRecord<String, byte[]> r) {
        String key = r.key();
        if (key == null || !key.startsWith(kind + "/")) return;
        String name = key.substring(kind.length() + 1);
        Versioned<T> before = items.get(name);
        Versioned<T> after = null;
        if (r.value() == null) {
            items.remove(name);
        } else {
            try {
                StateRecord sr = Json.read(r.value(), StateRecord.class);
                if (!kind.equals(sr.kind()) || !name.equals(sr.name())) {
                    // Not a record of this object (a writer's mistake, or a message of another shape): never take it for one.
                    log.error("view {}: record {} at {}-{}@{} names {}/{}; ignored", kind, key, r.topic(), r.partition(), r.offset(),
                            sr.kind(), sr.name());
                    return;
                }
                T value = Json.MAPPER.convertValue(sr.value(), type);
                after = new Versioned<>(sr.kind(), sr.name(), sr.version(), sr.updatedAt(), sr.updatedBy(), value);
            } catch (RuntimeException e) {
                // One bad record must not stop the view (it would be read again at every start).
                log.error("view {}: unreadable record {} at {}-{}@{}: {}", kind, key, r.topic(), r.partition(), r.offset(), e.toString());
                return;
            }
            items.put(name, after);
        }
        if (listeners.isEmpty()) return;
        Change<T> change = new Change<>(name, Optional.ofNullable(before), Optional.ofNullable(after));
        for (var l : listeners) {
            try {
                l.accept(change);
            } catch (RuntimeException e) {
                log.warn("a listener of view {} failed on {}: {}", kind, name, e.toString(), e);
            }
        }
    }

    /** Stops following the topic; the view keeps what it holds. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        reader.remove(this);
    }
}
