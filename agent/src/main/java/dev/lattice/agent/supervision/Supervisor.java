package dev.lattice.agent.supervision;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one {@link Supervised} thing running: adopts the run it was left or starts one, waits for
 * its end, and when it ends unasked, starts it again after the {@link Backoff} delay (1 s doubling
 * to 60 s by default; a run that lasted the reset period counts as healthy and starts the delays
 * again). The one restart loop of the platform: a node's workloads and the agents under
 * {@code lattice up} both go through it.
 *
 * <p>Counting: {@link #restarts()} grows when a run ends unasked, before {@link Listener#exited} is
 * told, so the next {@link Listener#started} carries the same number. A start that fails (the
 * artefact cannot be downloaded, the command does not exist) is not a restart — nothing ran — but
 * it is a failure for the back-off, so a start that keeps failing is retried ever more slowly.
 *
 * <p>Thread-safe; one platform thread each (a blocking wait for the run's end).
 */
public final class Supervisor<R extends Supervised.Run> implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Supervisor.class);
    /** How long a run that appeared while stopping (its start was under way) may take to end. */
    private static final Duration LATE_STOP = Duration.ofSeconds(5);

    /** Told what the supervisor does, on its thread, to persist, report and publish it. */
    public interface Listener<R> {
        /** A run began: started ({@code adopted} false) or taken over. */
        void started(R run, int restarts, boolean adopted);

        /** A run ended unasked with {@code exitCode} after {@code ran}; it is started again in {@code restartIn}. */
        void exited(R run, int exitCode, Duration ran, int restarts, Duration restartIn);

        /** A start failed; it is tried again in {@code retryIn}. */
        void failedToStart(String reason, Duration retryIn);
    }

    private final Supervised<R> target;
    private final Backoff backoff;
    private final Clock clock;
    private final Listener<? super R> listener;
    private final Object pause = new Object();
    private final Thread thread;
    private volatile boolean stopping;
    private volatile R current;
    private volatile int restarts;

    /** A supervisor of {@code target}, not started yet; {@code restarts}: how many it had before (an adopted workload keeps its count). */
    public Supervisor(Supervised<R> target, Backoff backoff, Clock clock, int restarts, Listener<? super R> listener) {
        this.target = target;
        this.backoff = backoff;
        this.clock = clock;
        this.restarts = restarts;
        this.listener = listener;
        this.thread = Thread.ofPlatform().daemon().name("supervise-" + target.name()).unstarted(this::run);
    }

    /** Starts supervising (once). Separate from the constructor so an owner can hold the supervisor before its first callback. */
    public Supervisor<R> start() {
        thread.start();
        return this;
    }

    public String name() {
        return target.name();
    }

    public int restarts() {
        return restarts;
    }

    /** The current run (it may have ended: between runs this is the last one), or null before the first. */
    public R current() {
        return current;
    }

    /** The running run's pid, or -1 between runs. */
    public long pid() {
        R run = current;
        return run != null && !run.exit().isDone() ? run.pid() : -1;
    }

    private void run() {
        int failures = 0;
        Optional<R> adopted = target.adopt();
        while (!stopping) {
            Instant started = clock.instant();
            R run;
            boolean wasAdopted = adopted.isPresent();
            try {
                run = wasAdopted ? adopted.get() : target.start();
            } catch (InterruptedException e) {
                break;
            } catch (Exception e) {
                if (stopping) break;
                String reason = e.getMessage() != null ? e.getMessage() : e.toString();
                Duration delay = backoff.delay(failures, Duration.ZERO);
                failures = backoff.failuresAfter(failures, Duration.ZERO);
                log.warn("{}: cannot start: {}; retrying in {} ms", target.name(), reason, delay.toMillis());
                listener.failedToStart(reason, delay);
                if (!pause(delay)) break;
                continue;
            }
            adopted = Optional.empty();
            current = run;
            if (stopping) { // stop() ran while it was starting: it must not survive
                run.stop(LATE_STOP);
                break;
            }
            listener.started(run, restarts, wasAdopted);
            int exit;
            try {
                exit = run.exit().get();
            } catch (InterruptedException e) {
                break;
            } catch (ExecutionException e) {
                exit = -1; // its end could not be watched (runtimes complete it normally): treated as an unknown exit
            }
            if (stopping) break;
            Duration ran = Duration.between(started, clock.instant());
            Duration delay = backoff.delay(failures, ran);
            failures = backoff.failuresAfter(failures, ran);
            restarts++;
            log.warn("{} (pid {}) exited with code {} after {} s; restart {} in {} ms", target.name(), run.pid(), exit,
                    ran.toSeconds(), restarts, delay.toMillis());
            listener.exited(run, exit, ran, restarts, delay);
            if (!pause(delay)) break;
        }
    }

    /** Waits {@code delay} unless stopped first; false if stopped. */
    private boolean pause(Duration delay) {
        try {
            synchronized (pause) {
                long until = System.nanoTime() + delay.toNanos();
                while (!stopping && System.nanoTime() < until) {
                    pause.wait(Math.max(1, (until - System.nanoTime()) / 1_000_000));
                }
            }
            return !stopping;
        } catch (InterruptedException e) {
            return false;
        }
    }

    /** Stops supervising and ends the current run; returns when it is gone. */
    public void stop(Duration grace) {
        stopping = true;
        synchronized (pause) {
            pause.notifyAll();
        }
        R run = current;
        if (run != null) run.stop(grace);
        thread.interrupt();
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(10));
    }
}
