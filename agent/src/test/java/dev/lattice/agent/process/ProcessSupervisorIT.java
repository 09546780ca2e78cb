package dev.lattice.agent.process;

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

/** Real child processes (sh), restarted with real delays. */
class ProcessSupervisorIT {
    @TempDir
    Path dir;

    private final List<String> events = new CopyOnWriteArrayList<>();
    private final ProcessSupervisor.Listener listener = new ProcessSupervisor.Listener() {
        @Override
        public void started(ProcessSpec spec, long pid, int restarts) {
            events.add("started " + restarts);
        }

        @Override
        public void exited(ProcessSpec spec, long pid, int exitCode, Duration restartIn) {
            events.add("exited " + exitCode + " restart in " + restartIn.toMillis());
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
        try (ProcessSupervisor s = new ProcessSupervisor(spec, fast, Clock.systemUTC(), listener)) {
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
        ProcessSupervisor s = new ProcessSupervisor(spec, Backoff.DEFAULT, Clock.systemUTC(), listener);
        waitUntil(() -> s.pid() > 0, Duration.ofSeconds(5));
        long pid = s.pid();
        s.stop(Duration.ofSeconds(5));
        waitUntil(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true), Duration.ofSeconds(5));
        Thread.sleep(1500);
        assertThat(s.pid()).isEqualTo(-1);
        assertThat(events).containsExactly("started 0");
    }
}
