package dev.lattice.agent.supervision;

import java.time.Duration;

/**
 * Restart delays: {@code initial} doubling on each failure up to {@code max}; a process that
 * ran for {@code resetAfter} before failing counts as healthy, and starts again from {@code initial}.
 */
public record Backoff(Duration initial, Duration max, Duration resetAfter) {
    public static final Backoff DEFAULT = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofMinutes(10));
    /** The first restart of a platform service: the whole platform's health waits on it (issue 12's heal goal). */
    static final Duration SERVICE_FIRST = Duration.ofMillis(250);

    /**
     * For a platform service: the same doubling from a quarter of a second (if this one starts slower).
     * A workload's first restart waits a whole second (user code that crashes at once should not spin);
     * the platform's own services are ours, and until one is back, health is DOWN for everyone. A service
     * that keeps crashing still backs off to {@code max}.
     */
    public Backoff forPlatformService() {
        return initial.compareTo(SERVICE_FIRST) <= 0 ? this : new Backoff(SERVICE_FIRST, max, resetAfter);
    }

    /** The delay before the next start, given earlier consecutive failures and how long the last run lasted. */
    public Duration delay(int consecutiveFailures, Duration lastRun) {
        int failures = lastRun.compareTo(resetAfter) >= 0 ? 0 : consecutiveFailures;
        Duration d = initial;
        for (int i = 0; i < failures && d.compareTo(max) < 0; i++) d = d.multipliedBy(2);
        return d.compareTo(max) > 0 ? max : d;
    }

    /** Consecutive failures after this one: reset when the run was long enough. */
    public int failuresAfter(int consecutiveFailures, Duration lastRun) {
        return lastRun.compareTo(resetAfter) >= 0 ? 1 : consecutiveFailures + 1;
    }
}
