package dev.lattice.scheduler.plan;

import dev.lattice.api.scheduler.ScheduleState;
import java.time.Instant;
import java.util.Objects;

/**
 * What {@link Planner#decide} says to do now, with the state to keep afterwards ({@link #next()}).
 *
 * <p>The state travels with the decision so that the caller keeps exactly what the decision assumed:
 * it saves {@code next} and carries out the decision, then asks again until it gets {@link Wait} or
 * {@link Finished}. Immutable.
 */
public sealed interface Decision {

    /** The state to keep once this decision is carried out. */
    ScheduleState next();

    /**
     * Start the run scheduled at {@code scheduledAt}.
     *
     * @param catchUp true when it starts on recovery, later than the planner's grace, for a fire time missed
     *                while no scheduler was running
     */
    record Start(Instant scheduledAt, Instant startedAt, boolean catchUp, ScheduleState next) implements Decision {
        public Start {
            Objects.requireNonNull(scheduledAt, "scheduledAt");
            Objects.requireNonNull(startedAt, "startedAt");
            Objects.requireNonNull(next, "next");
        }

        /** How late this start is against its fire time, as the planner sees it. */
        public Lateness lateness() {
            return new Lateness(scheduledAt, startedAt);
        }
    }

    /** Stop the run going on. */
    record Stop(StopReason reason, ScheduleState next) implements Decision {
        public Stop {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(next, "next");
        }
    }

    /**
     * Nothing to do before {@code until}; ask again then, or as soon as the run going on ends.
     *
     * @param until null when no time is known: a run without duration or window end is going on and nothing
     *              else is due until it ends
     */
    record Wait(Instant until, ScheduleState next) implements Decision {
        public Wait {
            Objects.requireNonNull(next, "next");
        }
    }

    /** The schedule will never start another run (an {@code at} that has run or can't, a cron past its end). */
    record Finished(ScheduleState next) implements Decision {
        public Finished {
            Objects.requireNonNull(next, "next");
        }
    }

    /** Why a run is stopped. */
    enum StopReason {
        /** It has run for the schedule's {@code durationSeconds}. */
        DURATION_ELAPSED,
        /** The schedule's {@code end} has come. */
        WINDOW_ENDED
    }
}
