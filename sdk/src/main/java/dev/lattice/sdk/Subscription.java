package dev.lattice.sdk;

/**
 * A running subscription to a sensor's readings, from {@link Lattice#subscribe}: a background
 * (virtual) thread reads the gateway's event stream and hands each reading to the listener,
 * reconnecting with backoff whenever the stream drops, until {@link #close()}. Thread-safe.
 */
public interface Subscription extends AutoCloseable {
    /** The sensor instance whose readings this delivers. */
    String sensorId();

    /** True until {@link #close()} (or the {@link Lattice} that made it) is closed; not a sign of a live connection. */
    boolean isOpen();

    /**
     * Stops the subscription: the stream is disconnected and the listener is not called again once
     * this returns (unless it is this call's own thread). Idempotent; never throws.
     */
    @Override
    void close();
}
