package dev.lattice.modelserver;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small pool of direct buffers that input tensors are written into. ONNX Runtime reads a
 * direct buffer in place, where it would copy a Java array; reusing the buffers spares a native
 * allocation and a cleaner per request. Per-thread buffers would not help: every request runs on
 * a new virtual thread.
 *
 * <p>Thread-safe. A buffer must be given back only once its tensor is closed.
 */
final class DirectBuffers {
    /** Larger buffers (big V2 batches) are not kept: rare, and they would pin memory. */
    static final int MAX_POOLED_BYTES = 1 << 20;
    private static final int MAX_POOLED = 32;
    private static final int MIN_BYTES = 4096;

    private final ConcurrentLinkedQueue<ByteBuffer> free = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pooled = new AtomicInteger();

    /** A native-order buffer with position 0 and limit {@code bytes}; its contents are undefined. */
    ByteBuffer take(int bytes) {
        ByteBuffer buffer = free.poll();
        if (buffer != null) pooled.decrementAndGet();
        if (buffer == null || buffer.capacity() < bytes) {
            buffer = ByteBuffer.allocateDirect(Math.max(bytes, MIN_BYTES)).order(ByteOrder.nativeOrder());
        }
        buffer.clear().limit(bytes);
        return buffer;
    }

    void give(ByteBuffer buffer) {
        if (buffer.capacity() > MAX_POOLED_BYTES) return;
        if (pooled.incrementAndGet() > MAX_POOLED) {
            pooled.decrementAndGet();
            return;
        }
        free.offer(buffer);
    }
}
