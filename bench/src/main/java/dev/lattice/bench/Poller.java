package dev.lattice.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lattice.core.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/**
 * One thread that reads {@code GET /api/v1/workloads} (every page) and, while asked to,
 * {@code GET /api/v1/nodes}, every {@code period}: what a client of the API sees, and when.
 * Timings end at the arrival of the first answer that shows the awaited state, so they include
 * up to one period of polling plus the request itself. One poller for every waiter, rather than
 * one per pending deployment, keeps the benchmark's own load on the gateway flat (50 requests/s).
 */
final class Poller implements AutoCloseable {
    /** A workload as the API shows it. */
    record W(String id, String deployment, String node, String status, int restarts) {
        boolean running() {
            return "RUNNING".equals(status);
        }
    }

    /** One poll: when it arrived (System.nanoTime), the workloads by id, and node statuses if they were asked for. */
    record Snapshot(long at, Map<String, W> workloads, Map<String, String> nodes) {
        long count(Predicate<W> test) {
            return workloads.values().stream().filter(test).count();
        }
    }

    private static final int PAGE = 1000;
    private final Platform platform;
    private final String token;
    private final long periodNanos;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean withNodes;
    private volatile boolean paused;
    private Snapshot latest;
    private long seq;
    private long errors;
    /** How long each poll took (µs), since {@link #pollTimes()} was last called: the timings' resolution. */
    private final java.util.List<Long> took = new java.util.ArrayList<>();

    Poller(Platform platform, String token, Duration period) {
        this.platform = platform;
        this.token = token;
        this.periodNanos = period.toNanos();
        this.thread = Thread.ofPlatform().daemon().name("poller").start(this::run);
    }

    /** Stops polling (while the platform's idle CPU is measured: the polls themselves cost the gateway CPU), or resumes. */
    void pause(boolean on) {
        paused = on;
    }

    /** Also read the nodes from now on (the node-loss phase), or stop reading them. */
    void withNodes(boolean on) {
        withNodes = on;
    }

    private void run() {
        long next = System.nanoTime();
        while (running) {
            if (paused) {
                LockSupport.parkNanos(periodNanos);
                next = System.nanoTime();
                continue;
            }
            try {
                long t0 = System.nanoTime();
                Snapshot s = poll();
                synchronized (this) {
                    latest = s;
                    seq++;
                    took.add((s.at() - t0) / 1000);
                    notifyAll();
                }
            } catch (Exception e) {
                synchronized (this) {
                    errors++;
                }
                if (!running) return;
            }
            next += periodNanos;
            long wait = next - System.nanoTime();
            if (wait > 0) LockSupport.parkNanos(wait);
            else next = System.nanoTime(); // a slow answer: poll again at once, do not try to catch up
        }
    }

    private Snapshot poll() throws Exception {
        Map<String, W> ws = new HashMap<>();
        for (int offset = 0; ; offset += PAGE) {
            JsonNode page = get("/api/v1/workloads?limit=" + PAGE + "&offset=" + offset);
            for (JsonNode w : page) {
                ws.put(w.get("id").asText(), new W(w.get("id").asText(), w.path("deployment").asText(null),
                        w.path("node").asText(null), w.path("status").asText(), w.path("restarts").asInt()));
            }
            if (page.size() < PAGE) break;
        }
        Map<String, String> nodes = new HashMap<>();
        if (withNodes) for (JsonNode n : get("/api/v1/nodes")) nodes.put(n.get("name").asText(), n.get("status").asText());
        return new Snapshot(System.nanoTime(), ws, nodes);
    }

    private JsonNode get(String path) throws Exception {
        var r = platform.send("GET", path, token, null);
        if (r.statusCode() != 200) throw new IllegalStateException("GET " + path + ": " + r.statusCode() + " " + r.body());
        return Json.read(r.body().getBytes(StandardCharsets.UTF_8), JsonNode.class);
    }

    /** The first snapshot, arriving after this call, that passes {@code test}. */
    Snapshot await(Predicate<Snapshot> test, Duration timeout) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            long seen = seq;
            while (true) {
                if (seq != seen) {
                    seen = seq;
                    if (test.test(latest)) return latest;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) throw new TimeoutException("not seen within " + timeout.toSeconds() + " s");
                wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    /** The newest snapshot, waiting for the first one if need be. */
    Snapshot latest() throws InterruptedException, TimeoutException {
        return await(s -> true, Duration.ofSeconds(30));
    }

    /** {p50, p99, max} in ms of the polls since the last call. */
    synchronized double[] pollTimes() {
        double[] p = Tally.percentiles(took.stream().mapToLong(Long::longValue).toArray());
        took.clear();
        return p;
    }

    synchronized long errors() {
        return errors;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(5000);
    }
}
