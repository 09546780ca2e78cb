package dev.lattice.mqtt.internal;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Tracks server-side publishes until a subscriber has them.
 *
 * <p>Each tracked publish carries a user property {@link #PROPERTY} with its id. When the broker
 * writes it to a subscriber, {@link #sending} sees the id and the client's packet id: at QoS 0 that
 * write is the delivery; at QoS 1 the subscriber's PUBACK for that packet id is ({@link #acknowledged}).
 * The first delivery completes the future with true; its timeout with false. Thread-safe: the
 * broker calls in from its worker threads.
 */
public final class Deliveries {
    /** User property naming the delivery; removed before the packet leaves the broker. */
    public static final String PROPERTY = "lattice-delivery";

    private final AtomicLong ids = new AtomicLong();
    private final Map<String, CompletableFuture<Boolean>> pending = new ConcurrentHashMap<>();
    private final Map<InFlight, String> inFlight = new ConcurrentHashMap<>();

    private record InFlight(String clientId, int packetId) {}

    /** A new delivery id and its future, completed with false if nothing happens within {@code timeout}. */
    public Tracked track(Duration timeout) {
        String id = Long.toString(ids.incrementAndGet());
        CompletableFuture<Boolean> future = new CompletableFuture<>();
        pending.put(id, future);
        future.whenComplete((delivered, error) -> forget(id));
        future.completeOnTimeout(false, timeout.toMillis(), TimeUnit.MILLISECONDS);
        return new Tracked(id, future);
    }

    /** A delivery id and the future the caller of {@code publish} holds. */
    public record Tracked(String id, CompletableFuture<Boolean> future) {}

    /**
     * The broker is writing delivery {@code id} to {@code clientId} under {@code packetId}.
     * {@code expectsAck} is false when the subscription is QoS 0, which has no PUBACK.
     */
    public void sending(String id, String clientId, int packetId, boolean expectsAck) {
        if (!pending.containsKey(id)) return;
        if (!expectsAck) {
            complete(id, true);
            return;
        }
        inFlight.put(new InFlight(clientId, packetId), id);
        // It may have timed out in between: do not leave the entry behind.
        if (!pending.containsKey(id)) inFlight.remove(new InFlight(clientId, packetId), id);
    }

    /** {@code clientId} acknowledged {@code packetId}; {@code accepted} is false for an error reason code. */
    public void acknowledged(String clientId, int packetId, boolean accepted) {
        String id = inFlight.remove(new InFlight(clientId, packetId));
        if (id != null && accepted) complete(id, true);
    }

    /** Completes a delivery now (no subscriber, or the publish failed). */
    public void complete(String id, boolean delivered) {
        CompletableFuture<Boolean> future = pending.get(id);
        if (future != null) future.complete(delivered);
    }

    /** Fails a delivery: the broker could not take the message. */
    public void fail(String id, Throwable error) {
        CompletableFuture<Boolean> future = pending.get(id);
        if (future != null) future.completeExceptionally(error);
    }

    /** Completes every open delivery with false (the broker is stopping). */
    public void abandonAll() {
        pending.values().forEach(f -> f.complete(false));
    }

    /** How many deliveries are open; for tests. */
    public int open() {
        return pending.size();
    }

    private void forget(String id) {
        pending.remove(id);
        inFlight.values().removeIf(id::equals);
    }
}
