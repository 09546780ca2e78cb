package dev.lattice.bus;

/** What every consumer or control loop of the bus does on close, once it told its thread to stop. */
public final class LoopThread {
    private LoopThread() {}

    /**
     * Waits up to 5 s for {@code thread} to end; returns at once when called from that thread (a
     * listener closing its own loop), which then ends by itself.
     */
    public static void join(Thread thread) {
        if (Thread.currentThread() == thread) return;
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
