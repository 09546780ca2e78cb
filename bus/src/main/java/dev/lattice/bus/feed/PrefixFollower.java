package dev.lattice.bus.feed;

import dev.lattice.bus.Fatal;
import dev.lattice.bus.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;

/**
 * Follows every topic whose name starts with a prefix, including those made later (each node's
 * own report topic: a topic per writer is how Kafka's ACLs, which are per topic, keep one writer
 * from writing for another). One thread, one consumer, no group: every few seconds it asks which
 * topics exist and assigns the new ones. Topics there at the start are read from {@code lookBack}
 * ago (a restarted reader should not take an old report of a node gone since for a live one);
 * topics that appear later, from their beginning.
 *
 * <p>Same failure policy as {@link Follower}: if the loop breaks, the process goes by its
 * {@link Fatal} policy.
 */
public final class PrefixFollower implements AutoCloseable {
    private final String prefix;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Duration tick;
    private final Duration discovery;
    private final Duration lookBack;
    private final Follower.Listener listener;
    private final Fatal fatal;
    private final Thread thread;
    private volatile boolean running = true;

    /** Starts at once; {@code consumer} (for manual assignment) is the follower's to close. */
    public PrefixFollower(String prefix, KafkaConsumer<String, byte[]> consumer, Duration tick, Duration discovery,
                          Duration lookBack, Follower.Listener listener, Fatal fatal) {
        this.prefix = prefix;
        this.consumer = consumer;
        this.tick = tick;
        this.discovery = discovery;
        this.lookBack = lookBack;
        this.listener = listener;
        this.fatal = fatal;
        this.thread = Thread.ofPlatform().daemon().name("follow-" + prefix + "*").start(this::run);
    }

    private void run() {
        try {
            Set<TopicPartition> assigned = new HashSet<>();
            boolean first = true;
            long nextDiscovery = 0;
            while (running) {
                if (System.nanoTime() - nextDiscovery >= 0) {
                    List<TopicPartition> added = discover(assigned);
                    if (!added.isEmpty()) {
                        assigned.addAll(added);
                        consumer.assign(assigned);
                        if (first) {
                            Map<TopicPartition, Long> since = new java.util.HashMap<>();
                            long from = System.currentTimeMillis() - lookBack.toMillis();
                            for (TopicPartition tp : added) since.put(tp, from);
                            var offsets = consumer.offsetsForTimes(since);
                            for (TopicPartition tp : added) {
                                if (offsets.get(tp) == null) consumer.seekToEnd(List.of(tp));
                                else consumer.seek(tp, offsets.get(tp).offset());
                            }
                        } else {
                            consumer.seekToBeginning(added);
                        }
                    }
                    first = false;
                    nextDiscovery = System.nanoTime() + discovery.toNanos();
                }
                if (assigned.isEmpty()) {
                    Thread.sleep(Math.min(tick.toMillis(), discovery.toMillis()));
                    continue;
                }
                for (ConsumerRecord<String, byte[]> r : consumer.poll(tick)) {
                    listener.record(new BusRecord(r.topic(), r.partition(), r.offset(), r.timestamp(), r.key(), r.value()));
                }
            }
        } catch (WakeupException | InterruptException | InterruptedException e) {
            if (running) fatal.failed("the follower of " + prefix + "*", e);
        } catch (RuntimeException e) {
            if (running) fatal.failed("the follower of " + prefix + "*", e);
        } finally {
            running = false;
            Topics.closeAtOnce(consumer);
        }
    }

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
