package dev.lattice.bus.feed;

import dev.lattice.bus.Fatal;
import dev.lattice.bus.Topics;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one consumer loop for a process that follows a whole topic (the gateway's readings, outputs
 * and events feeds, the monitor's heartbeats), or every topic whose name starts with a prefix, also
 * those made later (the node manager's relay of each node's own report topic: a topic per writer is
 * how Kafka's ACLs, which are per topic, keep one writer from writing for another). One thread, one
 * consumer assigned every partition (no group: each follower sees everything), starting where
 * {@link From} says; a prefix's topics that appear later are read from their beginning, found
 * every {@code discovery}.
 *
 * <p>One failure policy: if the loop breaks — the consumer, or the listener throwing — the process
 * goes by its {@link Fatal} policy (by default it exits and its supervisor restarts it), because a
 * feed that stopped while its service still answered would serve stale data as if it were live.
 * A listener that means to skip a bad record catches its own exception.
 */
public final class Follower implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Follower.class);

    /** What a follower calls, on its own thread. */
    public interface Listener {
        void record(BusRecord record);

        /**
         * After every poll, with or without records (so at least every {@code tick}): the next
         * offset to read of each partition of a single topic (empty for a prefix). For
         * read-your-writes waits and periodic work.
         */
        default void polled(Map<Integer, Long> positions) {}
    }

    /**
     * After a poll that brought records, the next one waits until this long after that one began.
     * A busy stream is then fetched at most ~200 times a second, each fetch bringing what came
     * meanwhile; without it, a follower of readings at a few thousand a second fetched a handful of
     * records at a time, and the fetches, not the records, were most of what reading them cost the
     * follower's process and the broker (PERFORMANCE.md, issue 13). An idle follower's poll still
     * returns the moment a record arrives: at most this much is added to a record's way, only under load.
     */
    static final long PACE_NANOS = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(5);
    /** A shared follower commits its group's offsets at most this often (at least once: a restart redoes at most this much). */
    static final long COMMIT_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(1);

    private final String topic;
    private final String prefix;
    private final Duration discovery;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Duration tick;
    private final Listener listener;
    private final Fatal fatal;
    private final Thread thread;
    /** In a consumer group: the group's members share the partitions, each record goes to one of them. */
    private final boolean shared;
    private volatile boolean running = true;

    /**
     * Starts following at once; {@code consumer} (for manual assignment) is the follower's to close.
     * The topic must exist (a topic just made may take a moment to show; longer is a failure).
     */
    public Follower(String topic, KafkaConsumer<String, byte[]> consumer, From from, Duration tick, Clock clock,
                    Listener listener, Fatal fatal) {
        this(topic, null, null, consumer, from, tick, clock, listener, fatal, false);
    }

    private Follower(String topic, String prefix, Duration discovery, KafkaConsumer<String, byte[]> consumer, From from,
                     Duration tick, Clock clock, Listener listener, Fatal fatal, boolean shared) {
        this.shared = shared;
        this.topic = topic;
        this.prefix = prefix;
        this.discovery = discovery;
        this.consumer = consumer;
        this.tick = tick;
        this.listener = listener;
        this.fatal = fatal;
        this.thread = Thread.ofPlatform().daemon().name("follow-" + topic).start(() -> run(from, clock));
    }

    /**
     * Follows every topic named {@code prefix...}: those there now from {@code from} (a restarted
     * reader should not take an old report of a node gone since for a live one), those made later
     * from their beginning, found every {@code discovery}. None need exist yet.
     */
    public static Follower ofPrefix(String prefix, Duration discovery, KafkaConsumer<String, byte[]> consumer, From from,
                                    Duration tick, Clock clock, Listener listener, Fatal fatal) {
        return new Follower(prefix + "*", prefix, discovery, consumer, from, tick, clock, listener, fatal, false);
    }

    /**
     * Follows {@code topic} in the consumer group of {@code consumer}: the instances of a service
     * share its partitions, so each record is handled once (at least once: offsets are committed
     * after each poll's records were handled). A new group starts at the end.
     */
    public static Follower shared(String topic, KafkaConsumer<String, byte[]> consumer, Duration tick, Clock clock,
                                  Listener listener, Fatal fatal) {
        return new Follower(topic, null, null, consumer, From.end(), tick, clock, listener, fatal, true);
    }

    private void runShared() throws InterruptedException {
        consumer.subscribe(List.of(topic));
        long lastCommit = System.nanoTime();
        boolean uncommitted = false;
        while (running) {
            long began = System.nanoTime();
            var records = consumer.poll(tick);
            for (ConsumerRecord<String, byte[]> r : records) {
                listener.record(new BusRecord(r.topic(), r.partition(), r.offset(), r.timestamp(), r.key(), r.value()));
            }
            uncommitted |= !records.isEmpty();
            if (uncommitted && System.nanoTime() - lastCommit >= COMMIT_NANOS) {
                consumer.commitAsync();
                lastCommit = System.nanoTime();
                uncommitted = false;
            }
            listener.polled(Map.of());
            if (!records.isEmpty()) pace(began);
        }
    }

    private static void pace(long began) throws InterruptedException {
        long left = PACE_NANOS - (System.nanoTime() - began);
        if (left > 0) Thread.sleep(java.time.Duration.ofNanos(left));
    }

    private void run(From from, Clock clock) {
        try {
            if (shared) {
                runShared();
                return;
            }
            List<TopicPartition> partitions = prefix == null ? Topics.partitionsOf(consumer, topic, Duration.ofSeconds(30))
                    : discover(Set.of());
            Set<TopicPartition> assigned = new LinkedHashSet<>(partitions);
            consumer.assign(assigned);
            seek(partitions, from, clock);
            long nextDiscovery = prefix == null ? 0 : System.nanoTime() + discovery.toNanos();
            while (running) {
                if (prefix != null && System.nanoTime() - nextDiscovery >= 0) {
                    List<TopicPartition> added = discover(assigned);
                    if (!added.isEmpty()) {
                        assigned.addAll(added);
                        consumer.assign(assigned);
                        consumer.seekToBeginning(added);
                    }
                    nextDiscovery = System.nanoTime() + discovery.toNanos();
                }
                if (assigned.isEmpty()) {
                    Thread.sleep(Math.min(tick.toMillis(), discovery.toMillis()));
                    continue;
                }
                long began = System.nanoTime();
                var records = consumer.poll(tick);
                for (ConsumerRecord<String, byte[]> r : records) {
                    listener.record(new BusRecord(r.topic(), r.partition(), r.offset(), r.timestamp(), r.key(), r.value()));
                }
                Map<Integer, Long> positions = new HashMap<>();
                if (prefix == null) for (TopicPartition tp : assigned) positions.put(tp.partition(), consumer.position(tp));
                listener.polled(positions);
                if (!records.isEmpty()) pace(began);
            }
        } catch (WakeupException | InterruptException | InterruptedException e) {
            if (running) fatal.failed("the follower of " + topic, e);
        } catch (RuntimeException e) {
            if (running) fatal.failed("the follower of " + topic, e);
        } finally {
            running = false;
            Topics.closeAtOnce(consumer);
        }
    }

    /** The partitions of the prefix's topics that are not assigned yet. */
    private List<TopicPartition> discover(Set<TopicPartition> assigned) {
        List<TopicPartition> added = new ArrayList<>();
        for (Map.Entry<String, List<PartitionInfo>> e : consumer.listTopics(Duration.ofSeconds(10)).entrySet()) {
            if (!e.getKey().startsWith(prefix)) continue;
            for (PartitionInfo p : e.getValue()) {
                TopicPartition tp = new TopicPartition(p.topic(), p.partition());
                if (!assigned.contains(tp)) added.add(tp);
            }
        }
        return added;
    }

    private void seek(List<TopicPartition> partitions, From from, Clock clock) {
        switch (from) {
            case From.End end -> consumer.seekToEnd(partitions);
            case From.Last last -> {
                Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
                Map<TopicPartition, Long> begins = consumer.beginningOffsets(partitions);
                for (TopicPartition tp : partitions) consumer.seek(tp, Math.max(begins.get(tp), ends.get(tp) - last.records()));
            }
            case From.Within within -> {
                long since = clock.millis() - within.window().toMillis();
                Map<TopicPartition, Long> times = new HashMap<>();
                partitions.forEach(tp -> times.put(tp, since));
                Map<TopicPartition, OffsetAndTimestamp> offsets = consumer.offsetsForTimes(times);
                for (TopicPartition tp : partitions) {
                    OffsetAndTimestamp o = offsets.get(tp);
                    if (o == null) consumer.seekToEnd(List.of(tp));
                    else consumer.seek(tp, o.offset());
                }
            }
        }
        log.debug("following {} from {}", topic, from);
    }

    /** Whether the loop still runs (false once closed or broken). */
    public boolean running() {
        return running && thread.isAlive();
    }

    @Override
    public void close() {
        if (!running) return;
        running = false;
        consumer.wakeup();
        dev.lattice.bus.LoopThread.join(thread);
    }
}
