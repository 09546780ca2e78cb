package dev.lattice.api.scheduler;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What the scheduler keeps about one scheduled app instance (kind {@value #KIND}, key: the
 * instance id, owned by the scheduler service): the planner's state — which is what lets a
 * restarted scheduler carry on without starting old runs twice — whether the schedule is over,
 * the next fire time, and the latest runs with how late each started.
 *
 * @param runs newest last, at most {@link #KEPT_RUNS}
 */
public record InstanceSchedule(String instance, ScheduleState state, boolean finished, Instant nextFireTime, List<Run> runs) {
    public static final String KIND = "instance-schedule";
    public static final int KEPT_RUNS = 20;

    public InstanceSchedule {
        runs = runs == null ? List.of() : List.copyOf(runs);
    }

    /**
     * One run: its fire time, when it was started and so how late (lateness = started − scheduled),
     * whether it was a catch-up after downtime, and when and why it was stopped (null while it goes on).
     */
    public record Run(Instant scheduledAt, Instant startedAt, long latenessMs, boolean catchUp, Instant stoppedAt,
                      String stopReason) {}

    public InstanceSchedule withRun(Run run) {
        List<Run> next = new ArrayList<>(runs);
        next.add(run);
        while (next.size() > KEPT_RUNS) next.remove(0);
        return new InstanceSchedule(instance, state, finished, nextFireTime, next);
    }

    /** The latest run marked stopped at {@code at} for {@code reason}. */
    public InstanceSchedule withLastRunStopped(Instant at, String reason) {
        if (runs.isEmpty()) return this;
        List<Run> next = new ArrayList<>(runs);
        Run last = next.get(next.size() - 1);
        if (last.stoppedAt() == null)
            next.set(next.size() - 1, new Run(last.scheduledAt(), last.startedAt(), last.latenessMs(), last.catchUp(), at, reason));
        return new InstanceSchedule(instance, state, finished, nextFireTime, next);
    }

    public InstanceSchedule with(ScheduleState newState, boolean isFinished, Instant next) {
        return new InstanceSchedule(instance, newState, isFinished, next, runs);
    }
}
