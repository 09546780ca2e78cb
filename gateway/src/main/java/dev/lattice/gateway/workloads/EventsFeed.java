package dev.lattice.gateway.workloads;

import dev.lattice.core.Json;
import dev.lattice.workloads.Event;
import dev.lattice.workloads.Events;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
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
 * Follows {@code lattice.events}, keeping the newest {@code keep} in memory for
 * {@code GET /api/v1/events} and passing new ones to SSE subscribers. At start it reads back the
 * last {@code keep} records of the (single-partition) topic, so a restarted gateway shows the
 * same feed. Thread-safe; one thread owns the consumer.
 */
final class EventsFeed implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EventsFeed.class);

    private final KafkaConsumer<String, byte[]> consumer;
    private final int keep;
    private final ArrayDeque<Event> newest = new ArrayDeque<>();
    private final List<Consumer<Event>> listeners = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    EventsFeed(KafkaConsumer<String, byte[]> consumer, int keep) {
        this.consumer = consumer;
        this.keep = keep;
        this.thread = Thread.ofPlatform().daemon().name("events-feed").start(this::run);
    }

    /** Newest first. */
    List<Event> newestFirst() {
        List<Event> out;
        synchronized (newest) {
            out = new ArrayList<>(newest);
        }
        Collections.reverse(out);
        return out;
    }

    Runnable subscribe(Consumer<Event> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    private void run() {
        try {
            TopicPartition tp = new TopicPartition(Events.TOPIC, 0);
            consumer.assign(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            long begin = consumer.beginningOffsets(List.of(tp)).get(tp);
            consumer.seek(tp, Math.max(begin, end - keep));
            while (running) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    Event e;
                    try {
                        e = Json.read(r.value(), Event.class);
                    } catch (RuntimeException bad) {
                        continue;
                    }
                    synchronized (newest) {
                        newest.addLast(e);
                        while (newest.size() > keep) newest.removeFirst();
                    }
                    for (var l : listeners) l.accept(e);
                }
            }
        } catch (WakeupException | InterruptException e) {
            // closing
        } catch (RuntimeException e) {
            log.error("events feed stopped: {}", e.toString(), e);
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(3000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
