package dev.lattice.agent;

import dev.lattice.agent.runtime.RunningWorkload;
import java.util.HashMap;
import java.util.Map;

/**
 * Turns the cumulative CPU time of each run into the node's CPU load between two samples. Only
 * the node's own workloads count, so several nodes simulated on one machine each see their own
 * load. Not thread-safe: one caller (the report timer).
 */
final class LoadMeter {
    /**
     * Measured load of the node's workloads: CPU as a fraction of the node's cores (all of them,
     * and only those the deployer placed, i.e. without the static platform services), memory in MiB.
     */
    record Load(double cpu, double placedCpu, long memoryMb) {}

    private static final double SMOOTHING = 0.5;
    private final int cpus;
    private Map<String, Long> lastCpu = new HashMap<>();
    private long lastAt = System.nanoTime();
    private double smoothed;
    private double smoothedPlaced;

    LoadMeter(int cpus) {
        this.cpus = Math.max(1, cpus);
    }

    /**
     * {@code runs} by handle (a restarted run is a new handle, starting from zero CPU);
     * {@code placed}: the handles of the runs the deployer placed.
     */
    Load sample(Map<String, RunningWorkload> runs, java.util.Set<String> placed) {
        long now = System.nanoTime();
        long elapsed = Math.max(1, now - lastAt);
        long cpuNanos = 0;
        long placedNanos = 0;
        long rss = 0;
        Map<String, Long> next = new HashMap<>();
        for (var e : runs.entrySet()) {
            RunningWorkload.Usage u = e.getValue().usage();
            next.put(e.getKey(), u.cpuNanos());
            long used = Math.max(0, u.cpuNanos() - lastCpu.getOrDefault(e.getKey(), u.cpuNanos()));
            cpuNanos += used;
            if (placed.contains(e.getKey())) placedNanos += used;
            rss += u.rssBytes();
        }
        lastCpu = next;
        lastAt = now;
        double load = Math.min(1.0, (double) cpuNanos / elapsed / cpus);
        // Smoothed over a few samples: one busy second (a GC, a start-up) should not repel placements.
        smoothed = SMOOTHING * load + (1 - SMOOTHING) * smoothed;
        smoothedPlaced = SMOOTHING * Math.min(1.0, (double) placedNanos / elapsed / cpus) + (1 - SMOOTHING) * smoothedPlaced;
        return new Load(round(smoothed), round(smoothedPlaced), rss / (1024 * 1024));
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
