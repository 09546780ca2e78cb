package dev.lattice.scheduler.plan;

import dev.lattice.api.scheduler.Schedule;
import dev.lattice.api.scheduler.ScheduleState;
import dev.lattice.scheduler.plan.Decision.Finished;
import dev.lattice.scheduler.plan.Decision.Start;
import dev.lattice.scheduler.plan.Decision.Stop;
import dev.lattice.scheduler.plan.Decision.StopReason;
import dev.lattice.scheduler.plan.Decision.Wait;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides, from a {@link Schedule}, the instance's {@link ScheduleState} and the time now, whether a
 * run starts, stops, or nothing happens until when. Pure: no clock, no I/O, so a restarted scheduler
 * that reads the saved state back decides exactly as the old one would have.
 *
 * <p>The rules:
 * <ul>
 *   <li><b>Window.</b> Fire times count only in [{@code start}, {@code end}); a run still going at
 *       {@code end} is stopped ({@link StopReason#WINDOW_ENDED}).</li>
 *   <li><b>Duration.</b> A run is stopped {@code durationSeconds} after it actually started, so a late
 *       start still gets its full time.</li>
 *   <li><b>No overlap.</b> A fire time that comes while a run is going on is skipped and counted, never
 *       queued. A run occupies [start, stop): a fire time at the very instant a run is due to stop is
 *       not skipped; the caller gets the {@link Stop} first and the {@link Start} on its next question.</li>
 *   <li><b>On time.</b> The latest due fire time starts if it is at most {@code grace} old (the
 *       caller's ticks and a busy machine make every start a little late).</li>
 *   <li><b>Missed runs.</b> A due fire time older than {@code grace} was missed while no scheduler was
 *       running. Only the latest one is considered (never a burst of old runs; the others count as
 *       missed), and it is started once, now, as a catch-up, if the window has not ended and the
 *       catch-up can finish before the next fire time, i.e. the schedule has no duration, has no next
 *       fire time, or {@code now + durationSeconds} is not after it. Otherwise the next regular run,
 *       which would come before a catch-up could end, takes its place and the fire time counts as missed.</li>
 *   <li><b>{@code at}.</b> Fires once, even if its time passed before the instance existed (the user
 *       named that time), provided it lies in the window and the window has not ended. Cron fire times
 *       before the instance existed ({@link ScheduleState#since()}) are not owed.</li>
 * </ul>
 *
 * <p>Use: ask {@link #decide}, save {@link Decision#next()}, carry the decision out, and ask again
 * until the answer is {@link Wait} (ask again at its {@code until}) or {@link Finished}. When a run
 * ends by itself, report it with {@link #runEnded}. Thread-safe (immutable).
 */
public final class Planner {
    /** Default for how old a due fire time may be and still start on time rather than as a catch-up. */
    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(5);
    /** Most fire times counted in one step; past it, skip and miss counters undercount rather than spin. */
    static final int COUNT_CAP = 10_000;

    private final Duration grace;

    public Planner() {
        this(DEFAULT_GRACE);
    }

    /** @throws IllegalArgumentException if {@code grace} is negative */
    public Planner(Duration grace) {
        if (grace.isNegative()) throw new IllegalArgumentException("grace must not be negative: " + grace);
        this.grace = grace;
    }

    /** What to do at {@code now}; see the class comment for the rules. */
    public Decision decide(Schedule schedule, ScheduleState state, Instant now) {
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(now, "now");
        if (state.active()) return whileRunning(schedule, state, now);
        return schedule.at() != null ? decideAt(schedule, state, now) : decideCron(schedule, state, now);
    }

    /**
     * The state after the run going on ended by itself at {@code endedAt} (the app exited, or its
     * workload was found gone): fire times that came while it ran are skipped. No change if none was going on.
     */
    public ScheduleState runEnded(Schedule schedule, ScheduleState state, Instant endedAt) {
        if (!state.active()) return state;
        return skipBefore(schedule, state, endedAt).runOver();
    }

    /**
     * The first fire time strictly after {@code after} that lies in the window, regardless of state;
     * empty when there is none (an {@code at} already past, the window over, a cron whose year has gone).
     */
    public Optional<Instant> nextFireTime(Schedule schedule, Instant after) {
        if (schedule.at() != null) {
            return schedule.at().isAfter(after) && schedule.inWindow(schedule.at()) ? Optional.of(schedule.at()) : Optional.empty();
        }
        Instant from = schedule.start() != null && schedule.start().isAfter(after) ? schedule.start().minusNanos(1) : after;
        return schedule.cron().nextAfter(from).filter(schedule::inWindow);
    }

    /** When the run going on must stop, or null if nothing bounds it. */
    public Instant stopAt(Schedule schedule, ScheduleState state) {
        if (!state.active()) return null;
        Instant byDuration = schedule.durationSeconds() == null ? null : state.runStartedAt().plusSeconds(schedule.durationSeconds());
        return earliest(byDuration, schedule.end());
    }

    private Decision whileRunning(Schedule schedule, ScheduleState state, Instant now) {
        Instant stopAt = stopAt(schedule, state);
        if (stopAt != null && !now.isBefore(stopAt)) {
            boolean byDuration = schedule.durationSeconds() != null
                    && !state.runStartedAt().plusSeconds(schedule.durationSeconds()).isAfter(stopAt);
            StopReason reason = byDuration ? StopReason.DURATION_ELAPSED : StopReason.WINDOW_ENDED;
            return new Stop(reason, skipBefore(schedule, state, stopAt).runOver());
        }
        ScheduleState next = schedule.cron() == null ? state : skipThrough(schedule, state, now);
        return new Wait(earliest(stopAt, nextFireTime(schedule, now).orElse(null)), next);
    }

    private Decision decideAt(Schedule schedule, ScheduleState state, Instant now) {
        Instant at = schedule.at();
        if (state.lastFireTime() != null || !schedule.inWindow(at)) return new Finished(state);
        if (now.isBefore(at)) return new Wait(at, state);
        if (schedule.windowEndedBy(now)) return new Finished(state.missedThrough(at, 1));
        return new Start(at, now, isLate(at, now), state.started(at, now));
    }

    private Decision decideCron(Schedule schedule, ScheduleState state, Instant now) {
        if (schedule.windowEndedBy(now)) return new Finished(state);
        Instant lower = lowerBound(schedule, state.watermark());
        Optional<Instant> due = schedule.cron().lastAtOrBefore(now).filter(f -> f.isAfter(lower));
        Optional<Instant> upcoming = nextFireTime(schedule, now);
        if (due.isEmpty()) return upcoming.<Decision>map(t -> new Wait(t, state)).orElseGet(() -> new Finished(state));
        Instant fire = due.get();
        Instant before = schedule.cron().lastAtOrBefore(fire.minusNanos(1)).filter(f -> f.isAfter(lower)).orElse(null);
        ScheduleState afterOlder = state.missedThrough(before, count(schedule, lower, fire));
        boolean late = isLate(fire, now);
        if (!late || catchUpFits(schedule, now, upcoming)) return new Start(fire, now, late, afterOlder.started(fire, now));
        ScheduleState missed = afterOlder.missedThrough(fire, 1);
        return upcoming.<Decision>map(t -> new Wait(t, missed)).orElseGet(() -> new Finished(missed));
    }

    private boolean isLate(Instant fire, Instant now) {
        return Duration.between(fire, now).compareTo(grace) > 0;
    }

    private static boolean catchUpFits(Schedule schedule, Instant now, Optional<Instant> upcoming) {
        if (schedule.durationSeconds() == null || upcoming.isEmpty()) return true;
        return !now.plusSeconds(schedule.durationSeconds()).isAfter(upcoming.get());
    }

    /** Skips the window's fire times in (watermark, through]. */
    private ScheduleState skipThrough(Schedule schedule, ScheduleState state, Instant through) {
        Instant lower = lowerBound(schedule, state.watermark());
        Optional<Instant> last = schedule.cron().lastAtOrBefore(through).filter(f -> f.isAfter(lower));
        return last.map(f -> state.skippedThrough(f, count(schedule, lower, through.plusNanos(1)))).orElse(state);
    }

    /** Skips the window's fire times in (watermark, before): those that came while a run occupied [start, before). */
    private ScheduleState skipBefore(Schedule schedule, ScheduleState state, Instant before) {
        if (schedule.cron() == null) return state;
        return skipThrough(schedule, state, before.minusNanos(1));
    }

    /** The exclusive lower bound for fire times: the watermark, raised to just before the window's start. */
    private static Instant lowerBound(Schedule schedule, Instant watermark) {
        Instant start = schedule.start();
        return start != null && !start.minusNanos(1).isBefore(watermark) ? start.minusNanos(1) : watermark;
    }

    /** Fire times in (lower, upper), at most {@link #COUNT_CAP}. */
    private static long count(Schedule schedule, Instant lower, Instant upper) {
        long n = 0;
        Optional<Instant> f = schedule.cron().nextAfter(lower);
        while (f.isPresent() && f.get().isBefore(upper) && n < COUNT_CAP) {
            n++;
            f = schedule.cron().nextAfter(f.get());
        }
        return n;
    }

    private static Instant earliest(Instant a, Instant b) {
        if (a == null) return b;
        if (b == null) return a;
        return a.isBefore(b) ? a : b;
    }
}
