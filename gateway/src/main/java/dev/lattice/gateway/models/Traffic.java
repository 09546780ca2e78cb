package dev.lattice.gateway.models;

import dev.lattice.api.models.ModelDeployment;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * What this gateway's inference proxy saw of each model's versions since its deployment began
 * (a new deploy, promote or rollback starts the count again): calls, server errors (5xx or no
 * answer) and the p99 of the last {@value #KEPT} calls' latency. Each gateway counts the calls it
 * proxied; with several gateways, each sees its share. Thread-safe.
 */
public final class Traffic {
    static final int KEPT = 1024;

    /** API.md's {@code traffic} rows. */
    public record Row(String version, int weight, long requests, long errors, Double p99Ms) {}

    private static final class Counts {
        final LongAdder requests = new LongAdder();
        final LongAdder errors = new LongAdder();
        private final long[] latencies = new long[KEPT];
        private long next;

        synchronized void latency(long nanos) {
            latencies[(int) (next++ % KEPT)] = nanos;
        }

        synchronized Double p99Ms() {
            int n = (int) Math.min(next, KEPT);
            if (n == 0) return null;
            long[] sorted = Arrays.copyOf(latencies, n);
            Arrays.sort(sorted);
            return sorted[Math.min(n - 1, (int) Math.ceil(n * 0.99) - 1)] / 1e6;
        }
    }

    /** One deployment's counts, by version; {@code rolledBack} so that a failing canary is rolled back once. */
    private record Window(Instant since, Map<String, Counts> byVersion, AtomicBoolean rolledBack) {}

    private final Map<String, Window> models = new ConcurrentHashMap<>();

    private Window window(ModelDeployment d) {
        return models.compute(d.name(), (k, w) -> w != null && w.since().equals(d.at()) ? w
                : new Window(d.at(), new ConcurrentHashMap<>(), new AtomicBoolean()));
    }

    /** Counts one call of {@code version} under deployment {@code d}. */
    void record(ModelDeployment d, String version, boolean error, long nanos) {
        Counts c = window(d).byVersion().computeIfAbsent(version == null ? "?" : version, v -> new Counts());
        c.requests.increment();
        if (error) c.errors.increment();
        c.latency(nanos);
    }

    /**
     * True, once per deployment, when its canary has had at least its {@code minRequests} calls and
     * more than its {@code maxErrorRate} of them failed: the caller then rolls it back.
     */
    boolean canaryFailing(ModelDeployment d) {
        ModelDeployment.Canary canary = d.canary();
        if (canary == null) return false;
        Window w = window(d);
        Counts c = w.byVersion().get(canary.version());
        if (c == null) return false;
        long requests = c.requests.sum();
        if (requests < canary.minRequests() || (double) c.errors.sum() / requests <= canary.maxErrorRate()) return false;
        return w.rolledBack().compareAndSet(false, true);
    }

    /** The rows of {@code d}: the main version and its canary with their weights, then any other version still answering. */
    List<Row> rows(ModelDeployment d) {
        Window w = window(d);
        List<Row> rows = new ArrayList<>();
        int canaryWeight = d.canary() == null ? 0 : d.canary().weight();
        rows.add(row(w, d.version(), 100 - canaryWeight));
        if (d.canary() != null) rows.add(row(w, d.canary().version(), canaryWeight));
        w.byVersion().keySet().stream().filter(v -> rows.stream().noneMatch(r -> r.version().equals(v))).sorted()
                .forEach(v -> rows.add(row(w, v, 0)));
        return rows;
    }

    private static Row row(Window w, String version, int weight) {
        Counts c = w.byVersion().get(version);
        return c == null ? new Row(version, weight, 0, 0, null) : new Row(version, weight, c.requests.sum(), c.errors.sum(), c.p99Ms());
    }
}
