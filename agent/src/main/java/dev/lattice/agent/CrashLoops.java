package dev.lattice.agent;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Tells when a workload crash-loops: its {@value #EXITS}rd unasked exit within {@link #WITHIN}
 * (as Kubernetes' CrashLoopBackOff, the back-off alone would say it only in delays). Told once per
 * loop: after a quiet {@link #WITHIN} it may be told again. Thread-safe. Forgets a workload quiet for
 * {@link #WITHIN} at the next exit of any, so workloads that come and go (every app instance's run)
 * leave nothing behind.
 */
final class CrashLoops {
    static final int EXITS = 3;
    static final Duration WITHIN = Duration.ofMinutes(5);

    private final Map<String, Deque<Instant>> exits = new HashMap<>();
    private final Set<String> told = new HashSet<>();

    /** Records an unasked exit of {@code workload}; true if it now crash-loops and was not yet told so. */
    synchronized boolean exited(String workload, Instant at) {
        Instant since = at.minus(WITHIN);
        exits.values().removeIf(times -> times.peekLast().isBefore(since));
        told.retainAll(exits.keySet());
        Deque<Instant> recent = exits.computeIfAbsent(workload, k -> new ArrayDeque<>());
        while (!recent.isEmpty() && recent.peekFirst().isBefore(since)) recent.removeFirst();
        recent.addLast(at);
        if (recent.size() > EXITS) recent.removeFirst();
        return recent.size() >= EXITS && told.add(workload);
    }

    /** How many workloads it remembers (for its test). */
    synchronized int remembered() {
        return exits.size();
    }
}
