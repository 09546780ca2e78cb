package dev.lattice.api.scheduler;

import java.time.Instant;
import java.util.Objects;

/**
 * What the scheduler remembers about one instance's schedule between decisions, and across restarts
 * once it is kept in a compacted Kafka topic: how far the fire times have been dealt with, the run
 * going on if any, and counters.
 *
 * <p>{@code lastFireTime} is a watermark: a fire time at or before it has been started, skipped or
 * missed, and is never looked at again; this is what keeps a restarted scheduler from starting old runs
 * twice. New states come only from the scheduler's {@code Planner} (the transitions are public only because the record lives in the api module). Immutable and thread-safe.
 *
 * @param since          when the instance began to be scheduled; cron fire times at or before it are not owed
 * @param lastFireTime   the latest fire time dealt with; null before the first
 * @param runScheduledAt the fire time of the run going on; null when none is
 * @param runStartedAt   when that run was started; null when none is
 * @param runs           runs started so far
 * @param skipped        fire times that came while a run was going on (never queued)
 * @param missed         fire times that passed with no scheduler to start them and were not caught up
 */
public record ScheduleState(Instant since, Instant lastFireTime, Instant runScheduledAt, Instant runStartedAt,
                            long runs, long skipped, long missed) {

    public ScheduleState {
        Objects.requireNonNull(since, "since");
        if ((runScheduledAt == null) != (runStartedAt == null)) {
            throw new IllegalArgumentException("runScheduledAt and runStartedAt go together");
        }
    }

    /** The state of an instance first scheduled at {@code since}: nothing dealt with, nothing running. */
    public static ScheduleState since(Instant since) {
        return new ScheduleState(since, null, null, null, 0, 0, 0);
    }

    /** Whether a run is going on. */
    public boolean active() {
        return runStartedAt != null;
    }

    /** The exclusive lower bound of the cron fire times still to deal with. */
    public Instant watermark() {
        return lastFireTime == null || lastFireTime.isBefore(since) ? since : lastFireTime;
    }

    public ScheduleState started(Instant fireTime, Instant now) {
        return new ScheduleState(since, fireTime, fireTime, now, runs + 1, skipped, missed);
    }

    public ScheduleState runOver() {
        return new ScheduleState(since, lastFireTime, null, null, runs, skipped, missed);
    }

    /** Deals with {@code count} fire times up to {@code through} by skipping them; a null through changes nothing. */
    public ScheduleState skippedThrough(Instant through, long count) {
        if (through == null) return this;
        return new ScheduleState(since, through, runScheduledAt, runStartedAt, runs, skipped + count, missed);
    }

    /** Deals with {@code count} fire times up to {@code through} by recording them as missed. */
    public ScheduleState missedThrough(Instant through, long count) {
        if (through == null) return this;
        return new ScheduleState(since, through, runScheduledAt, runStartedAt, runs, skipped, missed + count);
    }
}
