package dev.lattice.agent.supervision;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The restart loop over fake runs: no processes, short back-off. */
class SupervisorTest {
    private static final Backoff FAST = new Backoff(Duration.ofMillis(10), Duration.ofMillis(40), Duration.ofMinutes(10));

    private static final class FakeRun implements Supervised.Run {
        final CompletableFuture<Integer> exit = new CompletableFuture<>();
        volatile boolean stopped;

        @Override
        public long pid() {
            return 7;
        }

        @Override
        public CompletableFuture<Integer> exit() {
            return exit;
        }

        @Override
        public void stop(Duration grace) {
            stopped = true;
            exit.complete(143);
        }
    }

    /** Starts fail while {@code failures} is above zero; then each start makes a new run. */
    private static final class Fake implements Supervised<FakeRun> {
        final ConcurrentLinkedDeque<FakeRun> runs = new ConcurrentLinkedDeque<>();
        volatile int failures;
        volatile FakeRun left;

        @Override
        public String name() {
            return "fake";
        }

        @Override
        public Optional<FakeRun> adopt() {
            return Optional.ofNullable(left);
        }

        @Override
        public FakeRun start() throws IOException {
            if (failures > 0) {
                failures--;
                throw new IOException("no such thing");
            }
            FakeRun run = new FakeRun();
            runs.add(run);
            return run;
        }
    }

    private final List<String> events = new CopyOnWriteArrayList<>();
    private final Supervisor.Listener<FakeRun> listener = new Supervisor.Listener<>() {
        @Override
        public void started(FakeRun run, int restarts, boolean adopted) {
            events.add((adopted ? "adopted " : "started ") + restarts);
        }

        @Override
        public void exited(FakeRun run, int exitCode, Duration ran, int restarts, Duration restartIn) {
            events.add("exited " + exitCode + ", restarts " + restarts + ", again in " + restartIn.toMillis());
        }

        @Override
        public void failedToStart(String reason, Duration retryIn) {
            events.add("cannot start: " + reason + ", again in " + retryIn.toMillis());
        }
    };

    private static void waitUntil(java.util.function.BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out");
            Thread.sleep(5);
        }
    }

    @Test
    void restartsARunThatEndsWithDelaysThatDoubleUpToTheMaximum() throws Exception {
        Fake fake = new Fake();
        try (Supervisor<FakeRun> s = new Supervisor<>(fake, FAST, Clock.systemUTC(), 0, listener).start()) {
            for (int i = 1; i <= 4; i++) {
                waitUntil(() -> fake.runs.size() == events.stream().filter(e -> e.startsWith("started")).count() && !fake.runs.isEmpty());
                int before = fake.runs.size();
                fake.runs.getLast().exit.complete(1);
                waitUntil(() -> fake.runs.size() == before + 1);
            }
            waitUntil(() -> events.size() == 9);
            assertThat(events).containsExactly("started 0", "exited 1, restarts 1, again in 10", "started 1",
                    "exited 1, restarts 2, again in 20", "started 2", "exited 1, restarts 3, again in 40", "started 3",
                    "exited 1, restarts 4, again in 40", "started 4");
            assertThat(s.restarts()).isEqualTo(4);
            assertThat(s.pid()).isEqualTo(7);
        }
    }

    @Test
    void aFailedStartIsRetriedWithBackoffAndIsNotARestart() throws Exception {
        Fake fake = new Fake();
        fake.failures = 2;
        try (Supervisor<FakeRun> s = new Supervisor<>(fake, FAST, Clock.systemUTC(), 0, listener).start()) {
            waitUntil(() -> fake.runs.size() == 1 && events.size() == 3);
            assertThat(events).containsExactly("cannot start: no such thing, again in 10", "cannot start: no such thing, again in 20",
                    "started 0");
            assertThat(s.restarts()).isZero();
        }
    }

    @Test
    void takesOverTheRunItWasLeftAndKeepsItsRestartCount() throws Exception {
        Fake fake = new Fake();
        fake.left = new FakeRun();
        try (Supervisor<FakeRun> s = new Supervisor<>(fake, FAST, Clock.systemUTC(), 3, listener).start()) {
            waitUntil(() -> events.size() == 1);
            assertThat(events).containsExactly("adopted 3");
            assertThat(s.current()).isSameAs(fake.left);
            assertThat(fake.runs).isEmpty();
            fake.left.exit.complete(0);
            waitUntil(() -> fake.runs.size() == 1 && events.size() == 3);
            assertThat(events).containsExactly("adopted 3", "exited 0, restarts 4, again in 10", "started 4");
        }
    }

    @Test
    void stopEndsTheRunAndDoesNotStartAnother() throws Exception {
        Fake fake = new Fake();
        Supervisor<FakeRun> s = new Supervisor<>(fake, FAST, Clock.systemUTC(), 0, listener).start();
        waitUntil(() -> events.size() == 1);
        s.stop(Duration.ofSeconds(1));
        Thread.sleep(100);
        assertThat(fake.runs).hasSize(1);
        assertThat(fake.runs.getFirst().stopped).isTrue();
        assertThat(s.pid()).isEqualTo(-1);
        assertThat(events).containsExactly("started 0");
    }
}
