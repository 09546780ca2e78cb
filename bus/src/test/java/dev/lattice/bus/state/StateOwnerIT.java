package dev.lattice.bus.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lattice.bus.Bus;
import dev.lattice.bus.TestKafka;
import dev.lattice.core.LatticeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StateOwnerIT {
    record Thing(String colour, int size) {}

    private static final Duration WAIT = Duration.ofSeconds(30);
    private Bus bus;
    private String kind;

    @BeforeEach
    void connect() {
        bus = TestKafka.bus("state-test");
        kind = TestKafka.unique("thing");
    }

    @AfterEach
    void close() {
        bus.close();
    }

    @Test
    void createsUpdatesAndDeletesWithGrowingVersions() {
        StateOwner<Thing> owner = bus.own(kind, Thing.class, WAIT);
        Versioned<Thing> v1 = owner.create("a", new Thing("red", 1), "test");
        Versioned<Thing> v2 = owner.update("a", 1, new Thing("blue", 2), "test");

        assertThat(v1.version()).isEqualTo(1);
        assertThat(v2.version()).isEqualTo(2);
        assertThat(owner.view().get("a")).get().extracting(Versioned::value).isEqualTo(new Thing("blue", 2));

        owner.delete("a", 2, "test");
        assertThat(owner.view().get("a")).isEmpty();
    }

    @Test
    void rejectsStaleAndDuplicateWrites() {
        StateOwner<Thing> owner = bus.own(kind, Thing.class, WAIT);
        owner.create("a", new Thing("red", 1), "test");
        owner.update("a", 1, new Thing("blue", 2), "test");

        assertThatThrownBy(() -> owner.update("a", 1, new Thing("green", 3), "test"))
                .isInstanceOf(LatticeException.class).extracting("status").isEqualTo(409);
        assertThatThrownBy(() -> owner.create("a", new Thing("green", 3), "test"))
                .isInstanceOf(LatticeException.class).extracting("status").isEqualTo(409);
        assertThatThrownBy(() -> owner.update("missing", 1, new Thing("green", 3), "test"))
                .isInstanceOf(LatticeException.class).extracting("status").isEqualTo(404);
        assertThat(owner.view().get("a").orElseThrow().value().colour()).isEqualTo("blue");
    }

    @Test
    void ofConcurrentConflictingWritesExactlyOneWins() throws Exception {
        StateOwner<Thing> owner = bus.own(kind, Thing.class, WAIT);
        owner.create("contested", new Thing("red", 0), "test");
        int writers = 8;
        CountDownLatch go = new CountDownLatch(1);
        AtomicInteger wins = new AtomicInteger();
        AtomicInteger conflicts = new AtomicInteger();
        List<Future<?>> futures = new ArrayList<>();
        try (var pool = Executors.newFixedThreadPool(writers)) {
            for (int i = 0; i < writers; i++) {
                int size = i + 1;
                futures.add(pool.submit((Callable<Void>) () -> {
                    go.await();
                    try {
                        owner.update("contested", 1, new Thing("writer", size), "writer-" + size);
                        wins.incrementAndGet();
                    } catch (LatticeException e) {
                        if (e.status() == 409) conflicts.incrementAndGet();
                        else throw e;
                    }
                    return null;
                }));
            }
            go.countDown();
            for (var f : futures) f.get();
        }
        assertThat(wins).hasValue(1);
        assertThat(conflicts).hasValue(writers - 1);
        assertThat(owner.view().get("contested").orElseThrow().version()).isEqualTo(2);
    }

    @Test
    void aRestartedViewEqualsTheOldOne() {
        StateOwner<Thing> owner = bus.own(kind, Thing.class, WAIT);
        for (int i = 0; i < 50; i++) owner.create("n" + i, new Thing("c" + i, i), "test");
        for (int i = 0; i < 50; i += 2) owner.update("n" + i, 1, new Thing("again", i), "test");
        for (int i = 0; i < 50; i += 5) owner.delete("n" + i, owner.view().get("n" + i).orElseThrow().version(), "test");
        List<Versioned<Thing>> before = owner.view().list();

        try (Bus other = TestKafka.bus("state-test-reader")) {
            StateView<Thing> rebuilt = other.view(kind, Thing.class);
            rebuilt.awaitCaughtUp(WAIT);
            assertThat(rebuilt.list()).isEqualTo(before);
        }
        assertThat(before).hasSize(40);
    }

    /** A record under an object's key that does not name that object (another shape of message) is never taken for it. */
    @Test
    void aRecordThatDoesNotNameItsObjectIsIgnored() throws Exception {
        StateOwner<Thing> owner = bus.own(kind, Thing.class, WAIT);
        owner.create("admin", new Thing("red", 1), "test");
        String topic = dev.lattice.bus.Topics.state(kind);
        // An envelope-shaped record keyed as the object, not in a transaction (as a misdirected reply would be).
        bus.producer().send(new org.apache.kafka.clients.producer.ProducerRecord<>(topic, kind + "/admin",
                "{\"id\":\"x\",\"type\":\"add\",\"payload\":{}}".getBytes(java.nio.charset.StandardCharsets.UTF_8))).get();
        owner.create("later", new Thing("blue", 2), "test");
        try (Bus other = TestKafka.bus("state-test-reader")) {
            StateView<Thing> rebuilt = other.view(kind, Thing.class);
            rebuilt.awaitCaughtUp(WAIT);
            assertThat(rebuilt.get("later")).isPresent();
            assertThat(rebuilt.get("admin")).as("the object, as its owner wrote it").isPresent()
                    .get().extracting(Versioned::value).isEqualTo(new Thing("red", 1));
        }
    }

    @Test
    void aNewOwnerFencesTheOldOneAndSeesItsWrites() {
        StateOwner<Thing> first = bus.own(kind, Thing.class, WAIT);
        first.create("a", new Thing("red", 1), "first");
        try (Bus other = TestKafka.bus("state-test-second")) {
            StateOwner<Thing> second = other.own(kind, Thing.class, WAIT);
            assertThat(second.view().get("a")).isPresent();

            assertThatThrownBy(() -> first.update("a", 1, new Thing("stale", 2), "first"))
                    .isInstanceOf(LatticeException.class).extracting("status").isEqualTo(503);
            assertThat(second.update("a", 1, new Thing("blue", 2), "second").version()).isEqualTo(2);
        }
    }

    @Test
    void viewsSeeChangesAsTheyHappen() {
        StateOwner<Thing> owner = bus.own(kind, Thing.class, WAIT);
        try (Bus other = TestKafka.bus("state-test-listener")) {
            StateView<Thing> view = other.view(kind, Thing.class);
            view.awaitCaughtUp(WAIT);
            List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
            view.onChange(c -> seen.add(c.name() + ":" + c.after().map(v -> v.value().colour()).orElse("deleted")));
            owner.create("x", new Thing("red", 1), "test");
            owner.delete("x", 1, "test");
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (seen.size() < 2 && System.nanoTime() < deadline) Thread.onSpinWait();
            assertThat(seen).containsExactly("x:red", "x:deleted");
        }
    }

    /**
     * The copies a reader of one share sees (a node's agent, its node's workloads): each object on the
     * topic its value names, gone from the old topic when it moves or is deleted, never on two at once.
     */
    @Test
    void copiesFollowTheirObjectsFromTopicToTopic() {
        String red = kind + "-copies.red";
        String blue = kind + "-copies.blue";
        StateOwner<Thing> owner = bus.own(kind, Thing.class, WAIT, t -> t.colour().equals("none") ? null : kind + "-copies." + t.colour());
        owner.create("a", new Thing("red", 1), "test");
        owner.create("b", new Thing("blue", 2), "test");
        owner.create("c", new Thing("none", 3), "test");
        try (Bus other = TestKafka.bus("state-test-copies")) {
            StateView<Thing> reds = other.view(kind, Thing.class, red);
            StateView<Thing> blues = other.view(kind, Thing.class, blue);
            reds.awaitCaughtUp(WAIT);
            blues.awaitCaughtUp(WAIT);
            assertThat(reds.list()).isEqualTo(List.of(owner.view().get("a").orElseThrow()));
            assertThat(blues.list()).isEqualTo(List.of(owner.view().get("b").orElseThrow()));

            owner.update("a", 1, new Thing("blue", 4), "test");
            owner.delete("b", 1, "test");
            owner.update("c", 1, new Thing("red", 5), "test");
            waitFor(() -> blues.get("b").isEmpty() && blues.get("a").map(v -> v.version() == 2).orElse(false)
                    && reds.get("c").isPresent());
            assertThat(reds.list()).isEqualTo(List.of(owner.view().get("c").orElseThrow()));
            assertThat(blues.list()).isEqualTo(List.of(owner.view().get("a").orElseThrow()));
        }
    }

    /** Objects written by an owner without copies (an earlier version) get theirs from the next one's {@code recopy}. */
    @Test
    void recopyMakesTheCopiesAnEarlierOwnerDidNot() {
        StateOwner<Thing> earlier = bus.own(kind, Thing.class, WAIT);
        earlier.create("a", new Thing("green", 1), "test");
        earlier.create("b", new Thing("none", 2), "test");
        String green = kind + "-copies.green";
        try (Bus other = TestKafka.bus("state-test-recopy")) {
            StateOwner<Thing> next = other.own(kind, Thing.class, WAIT, t -> t.colour().equals("none") ? null : kind + "-copies." + t.colour());
            assertThat(next.recopy()).isEqualTo(1);
            assertThat(next.recopy()).as("again: the same copies").isEqualTo(1);
            StateView<Thing> greens = other.view(kind, Thing.class, green);
            greens.awaitCaughtUp(WAIT);
            assertThat(greens.list()).isEqualTo(List.of(next.view().get("a").orElseThrow()));
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier done) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!done.getAsBoolean() && System.nanoTime() < deadline) Thread.onSpinWait();
    }

    @Test
    void aSecondViewOfAKindInTheSameProcessStartsFromTheBeginningAndOutlivesTheFirst() {
        // One reader follows all of a process's views; a partition can be assigned to it only once.
        StateOwner<Thing> owner = bus.own(kind, Thing.class, WAIT);
        owner.create("a", new Thing("red", 1), "test");
        StateView<Thing> second = bus.view(kind, Thing.class);
        second.awaitCaughtUp(WAIT);
        assertThat(second.get("a")).isPresent();

        StateView<Thing> third = bus.view(kind, Thing.class);
        third.awaitCaughtUp(WAIT);
        second.close();
        owner.create("b", new Thing("blue", 2), "test");
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (third.get("b").isEmpty() && System.nanoTime() < deadline) Thread.onSpinWait();
        assertThat(third.get("b")).isPresent();
        assertThat(second.get("b")).as("a closed view stops following").isEmpty();
        assertThat(owner.view().list()).hasSize(2);
    }

    @Test
    void manyViewsStartedAtOnceAllCatchUp() {
        // Each new view wakes the process's one reader; attaching one must survive the others' wake-ups.
        List<StateView<Thing>> views = new java.util.ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String k = kind + "-" + i;
            StateOwner<Thing> owner = bus.own(k, Thing.class, WAIT);
            owner.create("x", new Thing("red", i), "test");
        }
        try (Bus other = TestKafka.bus("state-test-many")) {
            for (int i = 0; i < 12; i++) views.add(other.view(kind + "-" + i, Thing.class));
            for (StateView<Thing> v : views) {
                v.awaitCaughtUp(WAIT);
                assertThat(v.get("x")).isPresent();
            }
        }
    }
}
