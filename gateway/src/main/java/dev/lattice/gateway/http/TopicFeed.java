package dev.lattice.gateway.http;

import dev.lattice.core.Json;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows a topic of timestamped records keyed by the object they belong to ({@code lattice.readings}
 * by sensor, {@code lattice.app-outputs} by app instance) and keeps the newest of each key in memory,
 * for the {@code GET} lists and the SSE streams. Kafka stays the store: at start the feed reads
 * back {@code lookBack} of the log, so the latest records survive restarts within that window.
 * Thread-safe; one thread owns the consumer.
 *
 * @param <T> the record type
 */
public final class TopicFeed<T> implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TopicFeed.class);

    private final KafkaConsumer<String, byte[]> consumer;
    private final String topic;
    private final Class<T> type;
    private final Function<byte[], Instant> tsOf;
    private final Duration lookBack;
    private final int keep;
    private final Clock clock;
    /** One kept reading: when Kafka stored it, and its raw JSON (parsed only when asked for). */
    private record Kept(long storedAt, byte[] json) {}

    // Per sensor, the newest readings by ts (a device uploading old, buffered readings must not push
    // out its current value), keyed by ts in nanoseconds. Raw JSON: most readings are never read
    // back one by one, and parsing all of them would cost the gateway a core at high rates.
    private final Map<String, java.util.TreeMap<Long, Kept>> latest = new ConcurrentHashMap<>();
    private final Map<String, List<Consumer<T>>> listeners = new ConcurrentHashMap<>();
    private final Map<TopicPartition, Long> positions = new HashMap<>();
    private final Object progress = new Object();
    private final Thread thread;
    private volatile boolean running = true;

    /** {@code tsOf}: the record's own time, read from its JSON (it orders the kept records; it may throw on junk). */
    public TopicFeed(KafkaConsumer<String, byte[]> consumer, String topic, Class<T> type, Function<byte[], Instant> tsOf,
                     Duration lookBack, int keepPerSensor, Clock clock) {
        this.consumer = consumer;
        this.topic = topic;
        this.type = type;
        this.tsOf = tsOf;
        this.lookBack = lookBack;
        this.keep = keepPerSensor;
        this.clock = clock;
        this.thread = Thread.ofPlatform().daemon().name("feed-" + topic).start(this::run);
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
    public boolean awaitApplied(TopicPartition tp, long offset, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (progress) {
            while (positions.getOrDefault(tp, -1L) <= offset) {
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

    private void run() {
        try {
            var partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            long since = clock.millis() - lookBack.toMillis();
            Map<TopicPartition, Long> times = new HashMap<>();
            partitions.forEach(tp -> times.put(tp, since));
            var offsets = consumer.offsetsForTimes(times);
            for (TopicPartition tp : partitions) {
                var o = offsets.get(tp);
                if (o == null) consumer.seekToEnd(List.of(tp));
                else consumer.seek(tp, o.offset());
            }
            while (running) {
                var records = consumer.poll(Duration.ofMillis(200));
                for (ConsumerRecord<String, byte[]> r : records) apply(r);
                synchronized (progress) {
                    for (TopicPartition tp : partitions) positions.put(tp, consumer.position(tp));
                    progress.notifyAll();
                }
            }
        } catch (WakeupException | InterruptException e) {
            // closing
        } catch (RuntimeException e) {
            log.error("feed of {} stopped: {}", topic, e.toString(), e);
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private void apply(ConsumerRecord<String, byte[]> r) {
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
        running = false;
        consumer.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
