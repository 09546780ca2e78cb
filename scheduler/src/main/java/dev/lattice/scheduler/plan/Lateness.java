package dev.lattice.scheduler.plan;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * How late a run started: its actual start minus its scheduled fire time. To be exported as a
 * Micrometer timer ({@code lattice.scheduler.lateness}) so the "within 2 s" promise can be watched.
 *
 * <p>A start stamped before its fire time (another machine's clock running behind) counts as zero:
 * a timer cannot record a negative duration, and such a start is not late. Immutable.
 *
 * @param scheduledAt the fire time
 * @param startedAt   when the run actually started (the planner's decision, or the workload's RUNNING report)
 */
public record Lateness(Instant scheduledAt, Instant startedAt) {

    public Lateness {
        Objects.requireNonNull(scheduledAt, "scheduledAt");
        Objects.requireNonNull(startedAt, "startedAt");
    }

    /** Actual start − scheduled time, never negative. */
    public Duration duration() {
        Duration d = Duration.between(scheduledAt, startedAt);
        return d.isNegative() ? Duration.ZERO : d;
    }

    /** Whether the run started no later than {@code limit} after its fire time. */
    public boolean within(Duration limit) {
        return duration().compareTo(limit) <= 0;
    }
}
