package dev.lattice.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Drives one call at a fixed rate (open loop) or flat out (closed loop) and measures its latency.
 *
 * <p>Open loop: request {@code i} is due at {@code start + i / rate}, fixed in advance; its latency
 * runs from that <em>intended</em> time, so a stall counts against every request it delays (no
 * coordinated omission). Closed loop: a few callers each send the next request when the last one has answered;
 * this gives the throughput, and latencies that hide queueing by construction.
 */
final class Load {
    /** One request; throws on any failure (a wrong status, a refused connection, a model error). */
    interface Call {
        void run() throws Exception;
    }

    /**
     * What a phase measured.
     *
     * @param requests  requests that answered successfully
     * @param errors    requests that failed (their latencies are left out of the percentiles)
     * @param seconds   from the first intended send to the last answer
     * @param p         {p50, p99, max} latency in ms
     * @param firstError the first failure's message, or null
     * @param late      open loop only: {p50, p99, max} in ms of how late requests were sent (the
     *                  harness's own wake-ups, and answers that came after the next send was due)
     */
    record Result(int requests, int errors, double seconds, double[] p, String firstError, double[] late) {
        double perSecond() {
            return requests / seconds;
        }
    }

    private Load() {}

    /**
     * {@code rate} requests a second for {@code window}, sent by {@code callers} threads in turn
     * (request {@code i} by thread {@code i % callers}), each timed from its intended send time.
     * A thread whose answer comes late sends its next request at once, late, and that request's
     * latency includes the delay: the schedule never waits for the system under test (wrk2's way;
     * one wake-up per request, where a thread per request would add a second on 2 busy cores).
     */
    static Result fixedRate(Call call, int rate, Duration window, int callers) throws InterruptedException {
        int n = (int) (rate * window.toMillis() / 1000);
        long period = 1_000_000_000L / rate;
        long[] micros = new long[n];
        long[] late = new long[n];
        Arrays.fill(micros, -1);
        AtomicInteger errors = new AtomicInteger();
        AtomicReference<String> firstError = new AtomicReference<>();
        long start = System.nanoTime() + 20_000_000; // every thread is parked and ready when the first is due
        AtomicLong lastAnswer = new AtomicLong(start);
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < callers; c++) {
            int first = c;
            threads.add(Thread.ofPlatform().name("sender-" + c).start(() -> {
                for (int i = first; i < n; i += callers) {
                    long due = start + i * period;
                    long wait = due - System.nanoTime();
                    if (wait > 0) LockSupport.parkNanos(wait);
                    late[i] = (System.nanoTime() - due) / 1000;
                    try {
                        call.run();
                        micros[i] = (System.nanoTime() - due) / 1000;
                    } catch (Exception e) {
                        errors.incrementAndGet();
                        firstError.compareAndSet(null, String.valueOf(e));
                    }
                }
                lastAnswer.accumulateAndGet(System.nanoTime(), Math::max);
            }));
        }
        for (Thread t : threads) t.join();
        long[] ok = Arrays.stream(micros).filter(m -> m >= 0).toArray();
        return new Result(ok.length, errors.get(), (lastAnswer.get() - start) / 1e9, Tally.percentiles(ok), firstError.get(),
                Tally.percentiles(late));
    }

    /** {@code callers} threads, each sending the next request as soon as the last one answered, for {@code window}. */
    static Result flatOut(Call call, int callers, Duration window) throws InterruptedException {
        long start = System.nanoTime();
        long end = start + window.toNanos();
        List<long[]> samples = new ArrayList<>();
        int[] counts = new int[callers];
        AtomicInteger errors = new AtomicInteger();
        AtomicReference<String> firstError = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < callers; c++) {
            long[] mine = new long[1 << 16];
            samples.add(mine);
            int me = c;
            threads.add(Thread.ofPlatform().name("caller-" + c).start(() -> {
                long[] buf = mine;
                int count = 0;
                for (long t0 = System.nanoTime(); t0 < end; t0 = System.nanoTime()) {
                    try {
                        call.run();
                        if (count == buf.length) buf = Arrays.copyOf(buf, buf.length * 2);
                        buf[count++] = (System.nanoTime() - t0) / 1000;
                    } catch (Exception e) {
                        errors.incrementAndGet();
                        firstError.compareAndSet(null, String.valueOf(e));
                    }
                }
                synchronized (samples) {
                    samples.set(me, buf);
                    counts[me] = count;
                }
            }));
        }
        for (Thread t : threads) t.join();
        double seconds = (System.nanoTime() - start) / 1e9;
        long[] all;
        synchronized (samples) {
            all = new long[Arrays.stream(counts).sum()];
            int at = 0;
            for (int c = 0; c < callers; c++) {
                System.arraycopy(samples.get(c), 0, all, at, counts[c]);
                at += counts[c];
            }
        }
        return new Result(all.length, errors.get(), seconds, Tally.percentiles(all), firstError.get(), null);
    }
}
