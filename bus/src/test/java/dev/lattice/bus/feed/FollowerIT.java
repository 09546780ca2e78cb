package dev.lattice.bus.feed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lattice.bus.Bus;
import dev.lattice.bus.TestKafka;
import dev.lattice.bus.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FollowerIT {
    private static final Duration TICK = Duration.ofMillis(100);
    private Bus bus;
    private String topic;

    @BeforeEach
    void connect() throws Exception {
        bus = TestKafka.bus("follower-test");
        topic = TestKafka.unique("follow");
        Topics.ensure(bus.admin(), List.of(Topics.shortLived(topic, 3_600_000)));
    }

    @AfterEach
    void close() {
        bus.close();
    }

    @Test
    void startsAtTheLastRecordsAndSeesEveryNewOneInOrder() throws Exception {
        for (int i = 0; i < 5; i++) send("old-" + i);
        List<String> seen = new CopyOnWriteArrayList<>();
        AtomicReference<Map<Integer, Long>> reached = new AtomicReference<>(Map.of());
        try (Follower f = new Follower(topic, bus.newConsumer(null), From.last(2), TICK, Clock.systemUTC(), listener(seen, reached), failOnFatal())) {
            await(() -> seen.size() == 2);
            for (int i = 0; i < 3; i++) send("new-" + i);
            await(() -> seen.size() == 5 && reached.get().getOrDefault(0, 0L) == 8L);
            assertThat(seen).containsExactly("old-3", "old-4", "new-0", "new-1", "new-2");
        }
    }

    @Test
    void fromTheEndSeesOnlyWhatComesAfter() throws Exception {
        send("before");
        List<String> seen = new CopyOnWriteArrayList<>();
        AtomicReference<Map<Integer, Long>> reached = new AtomicReference<>(Map.of());
        try (Follower f = new Follower(topic, bus.newConsumer(null), From.end(), TICK, Clock.systemUTC(), listener(seen, reached), failOnFatal())) {
            await(() -> reached.get().getOrDefault(0, 0L) == 1L);
            send("after");
            await(() -> seen.size() == 1);
            assertThat(seen).containsExactly("after");
        }
    }

    /**
     * A prefix's topics there at the start are read from the look-back (the node manager's relay must
     * not take an old report of a node gone since for a live one), those made later from their beginning.
     */
    @Test
    void aPrefixFollowsItsTopicsOldAndNew() throws Exception {
        String prefix = topic + ".";
        String early = prefix + "a";
        Topics.ensure(bus.admin(), List.of(Topics.shortLived(early, 3_600_000)));
        long old = System.currentTimeMillis() - 60_000;
        bus.producer().send(new ProducerRecord<>(early, 0, old, "k", "a-old".getBytes(StandardCharsets.UTF_8))).get(10, TimeUnit.SECONDS);
        sendTo(early, "a-recent");
        List<String> seen = new CopyOnWriteArrayList<>();
        try (Follower f = bus.followPrefix(prefix, Duration.ofMillis(300), Duration.ofSeconds(10), r -> seen.add(new String(r.value(), StandardCharsets.UTF_8)))) {
            await(() -> seen.size() == 1);
            String later = prefix + "b";
            Topics.ensure(bus.admin(), List.of(Topics.shortLived(later, 3_600_000)));
            sendTo(later, "b-first");
            sendTo(later, "b-second");
            sendTo(early, "a-new");
            sendTo(topic, "not-under-the-prefix");
            await(() -> seen.size() == 4);
            Thread.sleep(500);
            assertThat(seen).containsExactlyInAnyOrder("a-recent", "b-first", "b-second", "a-new");
            assertThat(seen.indexOf("b-first")).isLessThan(seen.indexOf("b-second"));
        }
    }

    @Test
    void aBrokenListenerIsFatalNotASilentStop() throws Exception {
        AtomicReference<String> fatal = new AtomicReference<>();
        Follower.Listener broken = r -> { throw new IllegalStateException("listener bug"); };
        try (Follower f = new Follower(topic, bus.newConsumer(null), From.end(), TICK, Clock.systemUTC(), broken,
                (what, cause) -> fatal.set(what + ": " + cause.getMessage()))) {
            Thread.sleep(500); // at the end before the record comes
            send("boom");
            await(() -> fatal.get() != null);
            assertThat(fatal.get()).isEqualTo("the follower of " + topic + ": listener bug");
            await(() -> !f.running());
        }
    }

    @Test
    void closingIsNotAFailure() throws Exception {
        AtomicReference<String> fatal = new AtomicReference<>();
        Follower f = new Follower(topic, bus.newConsumer(null), From.end(), TICK, Clock.systemUTC(), r -> {}, (what, cause) -> fatal.set(what));
        Thread.sleep(300);
        f.close();
        assertThat(f.running()).isFalse();
        assertThat(fatal.get()).isNull();
    }

    private static Follower.Listener listener(List<String> seen, AtomicReference<Map<Integer, Long>> reached) {
        return new Follower.Listener() {
            @Override
            public void record(BusRecord r) {
                seen.add(new String(r.value(), StandardCharsets.UTF_8));
            }

            @Override
            public void polled(Map<Integer, Long> positions) {
                reached.set(positions);
            }
        };
    }

    private static dev.lattice.bus.Fatal failOnFatal() {
        return (what, cause) -> { throw new AssertionError(what + " failed", cause); };
    }

    private void send(String value) throws Exception {
        bus.producer().send(new ProducerRecord<>(topic, "k", value.getBytes(StandardCharsets.UTF_8))).get(10, TimeUnit.SECONDS);
    }

    private void sendTo(String t, String value) throws Exception {
        bus.producer().send(new ProducerRecord<>(t, "k", value.getBytes(StandardCharsets.UTF_8))).get(10, TimeUnit.SECONDS);
    }

    private static void await(java.util.function.BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out");
            Thread.sleep(20);
        }
    }
}
