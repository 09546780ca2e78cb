package dev.lattice.gateway.http;

import dev.lattice.bus.Bus;
import dev.lattice.bus.feed.BusRecord;
import dev.lattice.bus.feed.Follower;
import dev.lattice.bus.feed.From;
import dev.lattice.core.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows a topic of timestamped records keyed by the object they belong to ({@code lattice.readings}
 * by sensor, {@code lattice.app-outputs} by app instance) and keeps the newest of each key in memory,
 * for the {@code GET} lists and the SSE streams. Kafka stays the store: at start the feed reads
 * back {@code lookBack} of the log, so the latest records survive restarts within that window.
 * Thread-safe; the bus's {@link Follower} calls it on one thread (and a broken feed takes the
 * gateway down to be restarted, rather than serving old readings as the latest).
 *
 * @param <T> the record type
 */
public final class TopicFeed<T> implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TopicFeed.class);

    private final Class<T> type;
    private final Function<byte[], Instant> tsOf;
    private final int keep;
    /** One kept reading: when Kafka stored it, and its raw JSON (parsed only when asked for). */
    private record Kept(long storedAt, byte[] json) {}

    // Per sensor, the newest readings by ts (a device uploading old, buffered readings must not push
    // out its current value), keyed by ts in nanoseconds. Raw JSON: most readings are never read
    // back one by one, and parsing all of them would cost the gateway a core at high rates.
    private final Map<String, java.util.TreeMap<Long, Kept>> latest = new ConcurrentHashMap<>();
    private final Map<String, List<Consumer<T>>> listeners = new ConcurrentHashMap<>();
    /** The next offset to read, by partition: how far the feed has applied the topic. */
    private final Map<Integer, Long> positions = new ConcurrentHashMap<>();
    private final Object progress = new Object();
    private final Follower follower;

    /** {@code tsOf}: the record's own time, read from its JSON (it orders the kept records; it may throw on junk). */
    public TopicFeed(Bus bus, String topic, Class<T> type, Function<byte[], Instant> tsOf, Duration lookBack, int keepPerSensor) {
        this.type = type;
        this.tsOf = tsOf;
        this.keep = keepPerSensor;
        // A record wakes the poll at once; the tick only paces empty polls (read-your-writes waits
        // are woken by the records they wait for).
        this.follower = bus.follow(topic, From.within(lookBack), Duration.ofMillis(500), new Follower.Listener() {
            @Override
            public void record(BusRecord r) {
                apply(r);
            }

            @Override
            public void polled(Map<Integer, Long> reached) {
                synchronized (progress) {
                    positions.putAll(reached);
                    progress.notifyAll();
                }
            }
        });
    }

    /**
     * Newest first by {@code ts}: {@code limit} readings after skipping {@code offset}, counting only
     * readings stored since {@code since} (an instance deleted and made again starts afresh).
     */
    public List<T> latest(String instance, int limit, int offset, Instant since) {
        var kept = latest.get(instance);
        if (kept == null) return List.of();
        List<Kept> newestFirst;
        synchronized (kept) {
            newestFirst = new ArrayList<>(kept.descendingMap().values());
        }
        long from = since.toEpochMilli();
        List<T> out = new ArrayList<>(Math.min(limit, newestFirst.size()));
        int skipped = 0;
        for (Kept k : newestFirst) {
            if (out.size() >= limit) break;
            if (k.storedAt() < from) continue;
            if (skipped++ < offset) continue;
            try {
                out.add(Json.read(k.json(), type));
            } catch (RuntimeException e) {
                // skip an unreadable record
            }
        }
        return out;
    }

    /** Calls {@code listener} with every new reading of {@code instance}; run the returned action to stop. */
    public Runnable subscribe(String instance, Consumer<T> listener) {
        listeners.computeIfAbsent(instance, k -> new CopyOnWriteArrayList<>()).add(listener);
        return () -> listeners.getOrDefault(instance, List.of()).remove(listener);
    }

    /** Waits (at most {@code timeout}) until the feed has read past {@code offset}: read-your-writes for POST. */
    public boolean awaitApplied(int partition, long offset, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (progress) {
            while (positions.getOrDefault(partition, -1L) <= offset) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) return false;
                try {
                    progress.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return true;
    }

    private void apply(BusRecord r) {
        if (r.key() == null || r.value() == null) return;
        long ts;
        try {
            Instant t = tsOf.apply(r.value());
            ts = t.getEpochSecond() * 1_000_000_000L + t.getNano();
        } catch (RuntimeException e) {
            return;
        }
        var kept = latest.computeIfAbsent(r.key(), k -> new java.util.TreeMap<>());
        synchronized (kept) {
            while (kept.containsKey(ts)) ts++; // equal times: keep both, in arrival order
            kept.put(ts, new Kept(r.timestamp(), r.value()));
            while (kept.size() > keep) kept.pollFirstEntry();
        }
        List<Consumer<T>> interested = listeners.get(r.key());
        if (interested == null || interested.isEmpty()) return;
        T reading;
        try {
            reading = Json.read(r.value(), type);
        } catch (RuntimeException e) {
            return;
        }
        for (var l : interested) {
            try {
                l.accept(reading);
            } catch (RuntimeException e) {
                log.debug("a reading listener failed: {}", e.toString());
            }
        }
    }

    @Override
    public void close() {
        follower.close();
    }
}
