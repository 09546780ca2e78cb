package dev.lattice.agent.process;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one child process running: starts it, waits for it, and when it dies unasked, reports the
 * exit and starts it again after the {@link Backoff} delay. Output goes to the spec's log file.
 *
 * <p>Children get their own session ({@code setsid}), so a Ctrl-C at the terminal reaches only
 * the platform's root process, which then stops them in order. Thread-safe.
 */
public final class ProcessSupervisor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ProcessSupervisor.class);
    private static final boolean HAS_SETSID = Files.isExecutable(java.nio.file.Path.of("/usr/bin/setsid"));

    /** Told about each start and each unasked exit. */
    public interface Listener {
        void started(ProcessSpec spec, long pid, int restarts);

        void exited(ProcessSpec spec, long pid, int exitCode, Duration restartIn);
    }

    private final ProcessSpec spec;
    private final Backoff backoff;
    private final Clock clock;
    private final Listener listener;
    private final Thread thread;
    private volatile boolean stopping;
    private volatile Process current;
    private volatile int restarts;

    public ProcessSupervisor(ProcessSpec spec, Backoff backoff, Clock clock, Listener listener) {
        this.spec = spec;
        this.backoff = backoff;
        this.clock = clock;
        this.listener = listener;
        this.thread = Thread.ofPlatform().daemon().name("supervise-" + spec.name()).start(this::run);
    }

    public ProcessSpec spec() {
        return spec;
    }

    public int restarts() {
        return restarts;
    }

    /** The running process's pid, or -1 between runs. */
    public long pid() {
        Process p = current;
        return p != null && p.isAlive() ? p.pid() : -1;
    }

    private void run() {
        int failures = 0;
        while (!stopping) {
            Instant started = clock.instant();
            int exit;
            try {
                Process p = launch();
                current = p;
                if (stopping) { // stop() ran while this process was starting: it must not survive
                    p.destroy();
                    break;
                }
                listener.started(spec, p.pid(), restarts);
                exit = p.waitFor();
            } catch (IOException e) {
                log.error("cannot start {}: {}", spec.name(), e.getMessage());
                exit = -1;
            } catch (InterruptedException e) {
                break;
            }
            if (stopping) break;
            Duration ran = Duration.between(started, clock.instant());
            Duration delay = backoff.delay(failures, ran);
            failures = backoff.failuresAfter(failures, ran);
            long pid = current == null ? -1 : current.pid();
            log.warn("{} (pid {}) exited with code {} after {} s; restarting in {} ms", spec.name(), pid, exit,
                    ran.toSeconds(), delay.toMillis());
            listener.exited(spec, pid, exit, delay);
            try {
                synchronized (this) {
                    long until = System.nanoTime() + delay.toNanos();
                    while (!stopping && System.nanoTime() < until) {
                        wait(Math.max(1, (until - System.nanoTime()) / 1_000_000));
                    }
                }
            } catch (InterruptedException e) {
                break;
            }
            restarts++;
        }
    }

    private Process launch() throws IOException {
        List<String> command = new ArrayList<>();
        if (HAS_SETSID) command.add("/usr/bin/setsid");
        command.addAll(spec.command());
        Files.createDirectories(spec.logFile().getParent());
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(Redirect.appendTo(spec.logFile().toFile()))
                .redirectInput(Redirect.from(new java.io.File("/dev/null")));
        pb.environment().putAll(spec.env());
        return pb.start();
    }

    /** Stops supervising and ends the process: SIGTERM, then SIGKILL after {@code grace}. */
    public void stop(Duration grace) {
        stopping = true;
        synchronized (this) {
            notifyAll();
        }
        Process p = current;
        if (p != null && p.isAlive()) {
            List<ProcessHandle> descendants = p.descendants().toList();
            p.destroy();
            try {
                if (!p.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                    log.warn("{} did not stop within {} s; killing it", spec.name(), grace.toSeconds());
                    p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
            descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        }
        thread.interrupt();
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(10));
    }
}
