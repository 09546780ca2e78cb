package dev.lattice.bus.state;

import dev.lattice.bus.Fatal;
import dev.lattice.bus.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds every state view of a process from one Kafka consumer on one thread.
 *
 * <p>A service holds ten or more views; with a consumer each, an idle platform of a dozen processes
 * sent hundreds of empty fetches a second to the broker and paid a connection, a metadata round and
 * a thread per view at start-up. One consumer assigned to all their partitions fetches them
 * together. A view is attached (its partitions added to the assignment and read from the
 * beginning) and detached on the reader's own thread: requests are queued and the consumer woken.
 *
 * <p>A partition can be assigned only once per consumer, so a second view of a topic this reader
 * already follows (it must start again from the beginning) gets a reader of its own, which ends
 * when that view is closed. When the reader fails, every view it feeds fails with it and the
 * process goes by its {@link Fatal} policy, as a broken view always did.
 *
 * <p>Two speeds. A fetch waiting at the broker is answered as soon as a followed partition gets
 * data, so how long it may wait is only how often an idle reader asks again (5 s, as for every
 * consumer: a dozen idle processes' views sent ~120 fetches a second at 100 ms). But a partition
 * assigned while a fetch waits is first fetched when that one returns, and a service attaches its
 * views one by one as it starts: even at 1 s that put up to a second on each late view, and a
 * killed service took 1-2 s longer to be back. So the reader starts, and goes back after any
 * attach, on a consumer whose fetches wait 100 ms, and moves its partitions to a quiet one, at
 * the positions reached, once {@link #QUIET_AFTER} has passed without an attach. Thread-safe.
 */
public final class ViewReader implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ViewReader.class);
    /** A fetch returns as soon as there is data; this bounds only how often an idle reader wakes. */
    private static final Duration POLL = Duration.ofSeconds(1);
    /** How long a topic just created may stay missing from the metadata before a view of it fails. */
    private static final Duration TOPIC_WAIT = Duration.ofSeconds(30);
    /** How long after the last attach the reader moves to its quiet consumer. */
    static final Duration QUIET_AFTER = Duration.ofSeconds(5);

    private final String name;
    private final Consumers consumers;
    private final Fatal fatal;
    private final boolean endWhenEmpty;
    private final Set<String> claimed = ConcurrentHashMap.newKeySet();
    private final BlockingQueue<Runnable> pending = new LinkedBlockingQueue<>();
    // Owned by the reader's thread:
    private final Map<String, StateView<?>> byTopic = new HashMap<>();
    private final Map<StateView<?>, List<TopicPartition>> partitions = new HashMap<>();
    private final Thread thread;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private boolean fast = true;
    private long lastAttach = System.nanoTime();
    private volatile boolean running = true;

    /** Makes read_committed consumers for manual assignment; {@code fast}: one whose fetches wait briefly. */
    @FunctionalInterface
    public interface Consumers {
        KafkaConsumer<String, byte[]> create(boolean fast);
    }

    private ViewReader(String name, Consumers consumers, Fatal fatal, boolean endWhenEmpty) {
        this.name = name;
        this.consumers = consumers;
        this.consumer = consumers.create(true);
        this.fatal = fatal;
        this.endWhenEmpty = endWhenEmpty;
        this.thread = Thread.ofPlatform().daemon().name("views-" + name).start(this::run);
    }

    /** The reader of a process's views. */
    public static ViewReader shared(String name, Consumers consumers, Fatal fatal) {
        return new ViewReader(name, consumers, fatal, false);
    }

    /** A started view of {@code kind}; call {@link StateView#awaitCaughtUp} before trusting it. */
    public <T> StateView<T> view(String kind, Class<T> type) {
        return view(kind, type, Topics.state(kind));
    }

    /**
     * As {@link #view(String, Class)}, of the copies of {@code kind} on another compacted topic
     * (records as the owner writes them): a node's own share of the workloads, see {@link StateOwner}.
     */
    public <T> StateView<T> view(String kind, Class<T> type, String topic) {
        if (!claimed.add(topic)) {
            // Already followed here: a reader of its own starts this one from the beginning.
            return new ViewReader(name + "-" + kind, consumers, fatal, true).view(kind, type, topic);
        }
        StateView<T> view = new StateView<>(kind, type, topic, this);
        submit(() -> attach(view));
        return view;
    }

    void remove(StateView<?> view) {
        if (running) submit(() -> detach(view));
    }

    private void submit(Runnable op) {
        pending.add(op);
        consumer.wakeup();
    }

    private void run() {
        try {
            while (running) {
                Runnable op = byTopic.isEmpty() ? pending.poll(POLL.toMillis(), TimeUnit.MILLISECONDS) : pending.poll();
                if (op != null) {
                    runOp(op);
                    continue;
                }
                if (byTopic.isEmpty()) continue;
                if (fast && System.nanoTime() - lastAttach > QUIET_AFTER.toNanos()) swap(false);
                try {
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(POLL)) {
                        StateView<?> view = byTopic.get(r.topic());
                        if (view != null) view.apply(r);
                    }
                    for (var e : partitions.entrySet()) {
                        Map<TopicPartition, Long> reached = new HashMap<>();
                        for (TopicPartition tp : e.getValue()) reached.put(tp, consumer.position(tp));
                        e.getKey().advanced(reached);
                    }
                } catch (WakeupException e) {
                    // a view to attach or detach, or closing: the loop sees which
                }
            }
        } catch (InterruptedException | InterruptException e) {
            Thread.currentThread().interrupt();
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            if (running) {
                for (StateView<?> view : partitions.keySet()) view.failed(e);
                fatal.failed("the state views (" + String.join(", ", byTopic.keySet()) + ")", e);
            }
        } finally {
            running = false;
            Topics.closeAtOnce(consumer);
        }
    }

    /**
     * Attach and detach are safe to run again: a wakeup meant for the poll (each view submitted
     * wakes the consumer, and a service submits several at once) may interrupt them, so they are
     * run again until one goes through; only closing stops that.
     */
    private void runOp(Runnable op) {
        while (true) {
            try {
                op.run();
                return;
            } catch (WakeupException e) {
                if (!running) throw e;
            }
        }
    }

    private void attach(StateView<?> view) {
        lastAttach = System.nanoTime();
        if (!fast) swap(true);
        List<TopicPartition> parts = Topics.partitionsOf(consumer, view.topic(), TOPIC_WAIT);
        Set<TopicPartition> all = new LinkedHashSet<>(consumer.assignment());
        all.addAll(parts);
        consumer.assign(all);
        consumer.seekToBeginning(parts);
        Map<TopicPartition, Long> end = consumer.endOffsets(parts);
        byTopic.put(view.topic(), view);
        partitions.put(view, parts);
        view.started(end);
        // Where the reader starts: an empty topic is caught up now, not after the first fetch's wait.
        Map<TopicPartition, Long> at = new HashMap<>();
        for (TopicPartition tp : parts) at.put(tp, consumer.position(tp));
        view.advanced(at);
        log.debug("views-{}: following {} ({} partitions)", name, view.topic(), parts.size());
    }

    /** Moves every assigned partition, at the position reached, to a consumer of the other speed. */
    private void swap(boolean toFast) {
        Map<TopicPartition, Long> at = new HashMap<>();
        for (TopicPartition tp : consumer.assignment()) at.put(tp, consumer.position(tp));
        KafkaConsumer<String, byte[]> next = consumers.create(toFast);
        next.assign(at.keySet());
        at.forEach(next::seek);
        KafkaConsumer<String, byte[]> previous = consumer;
        consumer = next;
        fast = toFast;
        Topics.closeAtOnce(previous); // its positions are taken: nothing to finish
        log.debug("views-{}: now on the {} consumer ({} partitions)", name, toFast ? "fast" : "quiet", at.size());
    }

    private void detach(StateView<?> view) {
        List<TopicPartition> parts = partitions.remove(view);
        if (parts == null) return;
        byTopic.remove(view.topic());
        List<TopicPartition> rest = new ArrayList<>(consumer.assignment());
        rest.removeAll(parts);
        consumer.assign(rest);
        claimed.remove(view.topic());
        if (endWhenEmpty && byTopic.isEmpty()) running = false;
    }

    @Override
    public void close() {
        if (!running) return;
        running = false;
        consumer.wakeup();
        dev.lattice.bus.LoopThread.join(thread);
    }
}
