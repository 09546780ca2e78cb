package dev.lattice.sdk;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * A {@link Subscription} over {@code GET /api/v1/sensor-instances/{id}/stream}. One virtual thread
 * connects, reads events and calls the listener, in order; a second one watches for a silent
 * stream. When the stream ends, fails or goes silent the first thread waits ({@link Reconnect})
 * and connects again; readings sent while it was away are not replayed.
 *
 * <p>Closing never interrupts the reading thread, so a listener call under way (perhaps itself
 * calling the gateway) finishes normally: instead the open connection is closed, a connection
 * being made is cancelled and a wait is cut short. Thread-safe.
 */
final class StreamSubscription implements Subscription {
    private static final System.Logger LOG = System.getLogger(Subscription.class.getName());
    /** A stream that stayed up this long was healthy: the next drop starts the backoff afresh. */
    private static final Duration HEALTHY = Duration.ofSeconds(10);

    private final Gateway gateway;
    private final String sensorId;
    private final String path;
    private final Consumer<Reading> listener;
    private final Reconnect policy;
    private final Consumer<? super StreamSubscription> onClose;
    private final Gateway.PendingCall pending = new Gateway.PendingCall();
    // A lock rather than a monitor: waiting in synchronized code would pin a JDK 21 virtual thread's carrier.
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition closed = lock.newCondition();

    private final AtomicBoolean open = new AtomicBoolean(true);
    private volatile InputStream stream;
    private volatile long lastHeard;

    /**
     * Starts the threads.
     *
     * @param first   the stream already opened by the caller, or null to connect after the first delay
     * @param onClose told once, when the subscription is closed
     */
    StreamSubscription(Gateway gateway, String sensorId, Consumer<Reading> listener, Reconnect policy,
                       InputStream first, Consumer<? super StreamSubscription> onClose) {
        this.gateway = gateway;
        this.sensorId = sensorId;
        this.path = streamPath(sensorId);
        this.listener = listener;
        this.policy = policy;
        this.onClose = onClose;
        Thread.ofVirtual().name("lattice-readings-" + sensorId).start(() -> run(first));
        Thread.ofVirtual().name("lattice-readings-watch-" + sensorId).start(this::watch);
    }

    static String streamPath(String sensorId) {
        return "/api/v1/sensor-instances/" + Gateway.segment(sensorId) + "/stream";
    }

    @Override
    public String sensorId() {
        return sensorId;
    }

    @Override
    public boolean isOpen() {
        return open.get();
    }

    @Override
    public void close() {
        if (!open.compareAndSet(true, false)) return;
        pending.cancel();
        closeQuietly(stream);
        lock.lock();
        try {
            closed.signalAll();
        } finally {
            lock.unlock();
        }
        onClose.accept(this);
    }

    private void run(InputStream first) {
        int failures = first == null ? 1 : 0;
        InputStream in = first;
        while (open.get()) {
            if (in == null) {
                if (!pause(policy.delay(Math.max(1, failures)))) break;
                try {
                    in = gateway.openStream(path, pending);
                } catch (LatticeApiException | UncheckedIOException e) {
                    if (!open.get()) break;
                    failures++;
                    LOG.log(Level.WARNING, "readings of {0}: cannot open the stream (attempt {1}): {2}", sensorId, failures, e.getMessage());
                    continue;
                }
            }
            long started = System.nanoTime();
            String ended = read(in);
            in = null;
            if (!open.get()) break;
            boolean healthy = System.nanoTime() - started >= HEALTHY.toNanos();
            failures = healthy ? 1 : failures + 1;
            LOG.log(healthy ? Level.INFO : Level.WARNING, "readings of {0}: the stream {1}; reconnecting", sensorId, ended);
        }
        closeQuietly(in);
    }

    /** Reads events until the stream ends; says how it ended. */
    private String read(InputStream in) {
        lastHeard = System.nanoTime();
        stream = in;
        // Published before this check, so a close() racing with it either sees the stream or is seen here.
        if (!open.get()) {
            closeQuietly(in);
            return "was closed";
        }
        EventStreamParser parser = new EventStreamParser();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                lastHeard = System.nanoTime();
                EventStreamParser.Event event = parser.line(line);
                if (event != null) deliver(event);
            }
            return "ended";
        } catch (IOException e) {
            return "broke off (" + e.getMessage() + ")";
        } finally {
            stream = null;
        }
    }

    private void deliver(EventStreamParser.Event event) {
        if (!open.get() || !(event.type().equals("reading") || event.type().equals("message"))) return;
        Reading reading;
        try {
            reading = Reading.fromJson(sensorId, Wire.tree(event.data()));
        } catch (IOException | IllegalArgumentException e) {
            LOG.log(Level.WARNING, "readings of {0}: skipped an event that is not a reading: {1}", sensorId, e.getMessage());
            return;
        }
        try {
            listener.accept(reading);
        } catch (RuntimeException e) {
            // One bad reading must not end the subscription; the app sees the failure in its log.
            LOG.log(Level.WARNING, "readings of " + sensorId + ": the listener failed on the reading at " + reading.ts(), e);
        }
    }

    /** Closes a stream that has been silent too long, which ends {@link #read} and so reconnects. */
    private void watch() {
        Duration every = policy.idleTimeout().dividedBy(4);
        while (open.get() && pause(every.isZero() ? Duration.ofMillis(1) : every)) {
            InputStream in = stream;
            if (in != null && System.nanoTime() - lastHeard > policy.idleTimeout().toNanos()) {
                LOG.log(Level.WARNING, "readings of {0}: nothing heard for {1} s; reconnecting", sensorId, policy.idleTimeout().toSeconds());
                closeQuietly(in);
            }
        }
    }

    /** Waits, cut short by {@link #close()}; false if the subscription is closed. */
    private boolean pause(Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        lock.lock();
        try {
            while (open.get()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) return true;
                try {
                    closed.awaitNanos(left);
                } catch (InterruptedException e) {
                    // Only close() ends the subscription; an interrupt from elsewhere is not ours to act on.
                }
            }
            return false;
        } finally {
            lock.unlock();
        }
    }

    private static void closeQuietly(InputStream in) {
        if (in == null) return;
        try {
            in.close();
        } catch (IOException e) {
            // closing a stream that is already broken: nothing to do
        }
    }
}
