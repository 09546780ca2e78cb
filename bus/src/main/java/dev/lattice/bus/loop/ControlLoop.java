package dev.lattice.bus.loop;

import dev.lattice.bus.Fatal;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one periodic loop of a service (the deployer's reconcile, the node manager's check, the
 * scheduler's pass): one thread runs {@code pass} at once, then every {@code period} after the
 * last one ended, and as soon as it is {@link #wake woken} (wakes during a pass make one more pass).
 *
 * <p>One failure policy. A pass that throws is logged and tried again at the next turn: what
 * fails is mostly Kafka being slow for a moment. A loop that keeps failing for {@code giveUp}, or
 * that breaks with an {@link Error}, goes by the process's {@link Fatal} policy (by default the
 * process exits and is restarted), because a service whose loop no longer turns still looks alive.
 */
public final class ControlLoop implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ControlLoop.class);
    public static final Duration GIVE_UP = Duration.ofSeconds(30);

    private final String name;
    private final Duration period;
    private final Duration giveUp;
    private final Runnable pass;
    private final Fatal fatal;
    private final Object lock = new Object();
    private boolean woken; // guarded by lock
    private volatile boolean running = true;
    private final Thread thread;

    public ControlLoop(String name, Duration period, Duration giveUp, Runnable pass, Fatal fatal) {
        this.name = name;
        this.period = period;
        this.giveUp = giveUp;
        this.pass = pass;
        this.fatal = fatal;
        this.thread = Thread.ofPlatform().daemon().name(name).start(this::run);
    }

    /** Asks for a pass now (or right after the one running); any number of wakes before it make one. */
    public void wake() {
        synchronized (lock) {
            woken = true;
            lock.notifyAll();
        }
    }

    private void run() {
        long failingSince = -1;
        try {
            while (running) {
                try {
                    pass.run();
                    failingSince = -1;
                } catch (RuntimeException e) {
                    if (!running) return;
                    long now = System.nanoTime();
                    if (failingSince < 0) failingSince = now;
                    log.error("{} pass failed: {}", name, e.toString(), e);
                    if (now - failingSince >= giveUp.toNanos()) {
                        fatal.failed("the " + name + " loop (every pass for " + giveUp.toSeconds() + " s)", e);
                        return;
                    }
                }
                synchronized (lock) {
                    long deadline = System.nanoTime() + period.toNanos();
                    long left;
                    while (running && !woken && (left = deadline - System.nanoTime()) > 0) TimeUnit.NANOSECONDS.timedWait(lock, left);
                    woken = false;
                }
            }
        } catch (InterruptedException e) {
            if (running) fatal.failed("the " + name + " loop", e);
        } catch (Error e) {
            if (running) fatal.failed("the " + name + " loop", e);
            throw e;
        } finally {
            running = false;
        }
    }

    /** Whether the loop still turns (false once closed or broken). */
    public boolean running() {
        return running && thread.isAlive();
    }

    /** Stops the loop, interrupting a pass in progress; waits a moment for it to end. */
    @Override
    public void close() {
        if (!running) return;
        running = false;
        thread.interrupt();
        dev.lattice.bus.LoopThread.join(thread);
    }
}
