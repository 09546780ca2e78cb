package dev.lattice.agent.supervision;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one {@link Supervisor} over real child processes (sh, as {@link ServiceProcess}), restarted with real delays. */
class SupervisorIT {
    @TempDir
    Path dir;

    private final List<String> events = new CopyOnWriteArrayList<>();
    private final Supervisor.Listener<Supervised.Run> listener = new Supervisor.Listener<>() {
        @Override
        public void started(Supervised.Run run, int restarts, boolean adopted) {
            events.add("started " + restarts);
        }

        @Override
        public void exited(Supervised.Run run, int exitCode, Duration ran, int restarts, Duration restartIn) {
            events.add("exited " + exitCode + " restart in " + restartIn.toMillis());
        }

        @Override
        public void failedToStart(String reason, Duration retryIn) {
            events.add("cannot start, retry in " + retryIn.toMillis());
        }
    };

    private static void waitUntil(java.util.function.BooleanSupplier done, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out");
            Thread.sleep(20);
        }
    }

    @Test
    void restartsAKilledProcessAfterTheBackoffAndKeepsItsLog() throws Exception {
        Path log = dir.resolve("logs/x.log");
        ProcessSpec spec = new ProcessSpec("x", List.of("sh", "-c", "echo hello $GREETING; exec sleep 60"),
                Map.of("GREETING", "world"), log);
        Backoff fast = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(1), Duration.ofMinutes(10));
        try (Supervisor<?> s = ServiceProcess.supervisor(spec, fast, Clock.systemUTC(), listener)) {
            waitUntil(() -> s.pid() > 0, Duration.ofSeconds(5));
            // Killed before its shell echoed, the first run would leave nothing in the log.
            waitUntil(() -> greetings(log) == 1, Duration.ofSeconds(5));
            long first = s.pid();
            ProcessHandle.of(first).orElseThrow().destroyForcibly();
            waitUntil(() -> s.pid() > 0 && s.pid() != first, Duration.ofSeconds(5));
            assertThat(s.restarts()).isEqualTo(1);
            assertThat(events).contains("started 0", "exited 137 restart in 200", "started 1");
            waitUntil(() -> greetings(log) == 2, Duration.ofSeconds(5));
        }
    }

    private static long greetings(Path log) {
        try {
            return Files.readAllLines(log).stream().filter("hello world"::equals).count();
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    @Test
    void stopEndsTheProcessAndDoesNotRestartIt() throws Exception {
        ProcessSpec spec = new ProcessSpec("y", List.of("sleep", "60"), Map.of(), dir.resolve("y.log"));
        Supervisor<?> s = ServiceProcess.supervisor(spec, Backoff.DEFAULT, Clock.systemUTC(), listener);
        waitUntil(() -> s.pid() > 0, Duration.ofSeconds(5));
        long pid = s.pid();
        s.stop(Duration.ofSeconds(5));
        waitUntil(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true), Duration.ofSeconds(5));
        Thread.sleep(1500);
        assertThat(s.pid()).isEqualTo(-1);
        assertThat(events).containsExactly("started 0");
    }

    @Test
    void aFailedStartIsRetriedWithBackoffButIsNotARestart() throws Exception {
        // Its log cannot be opened (a file is where its folder should be): no process starts.
        Files.writeString(dir.resolve("logs"), "not a folder");
        ProcessSpec spec = new ProcessSpec("z", List.of("sleep", "60"), Map.of(), dir.resolve("logs/z.log"));
        Backoff fast = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofMinutes(10));
        try (Supervisor<?> s = ServiceProcess.supervisor(spec, fast, Clock.systemUTC(), listener)) {
            waitUntil(() -> events.size() >= 3, Duration.ofSeconds(5));
            assertThat(events).startsWith("cannot start, retry in 100", "cannot start, retry in 200", "cannot start, retry in 400");
            assertThat(s.restarts()).isZero();
            assertThat(s.pid()).isEqualTo(-1);
        }
    }
}
