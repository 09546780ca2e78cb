package dev.lattice.scheduler.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lattice.api.scheduler.Schedule;
import dev.lattice.api.scheduler.ScheduleState;
import dev.lattice.core.Json;
import dev.lattice.scheduler.plan.Decision.StopReason;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The driver the scheduler service will be, minus Kafka and the deployer: it ticks, asks the planner
 * until told to wait, and records the runs it would have started and stopped.
 */
final class Simulation {
    /** One run as the driver saw it; stoppedAt and reason null while it goes on (reason null if the app exited). */
    record Run(Instant scheduledAt, Instant startedAt, boolean catchUp, Instant stoppedAt, StopReason reason) {}

    final MutableClock clock;
    private final Planner planner;
    private final Schedule schedule;
    ScheduleState state;
    final List<Run> runs = new ArrayList<>();
    boolean finished;

    Simulation(Planner planner, Schedule schedule, Instant since) {
        this.planner = planner;
        this.schedule = schedule;
        this.clock = new MutableClock(since);
        this.state = ScheduleState.since(since);
    }

    /** Ticks every {@code tick} while the clock is before {@code until}. */
    Simulation runUntil(Instant until, Duration tick) {
        while (clock.instant().isBefore(until)) {
            step();
            clock.advance(tick);
        }
        return this;
    }

    /** The platform and the scheduler are down for {@code d}: no ticks; the saved state survives as JSON does. */
    Simulation down(Duration d) {
        clock.advance(d);
        state = Json.MAPPER.convertValue(Json.tree(state), ScheduleState.class);
        return this;
    }

    /** The app of the run going on exits by itself now. */
    Simulation appExits() {
        state = planner.runEnded(schedule, state, clock.instant());
        Run last = runs.getLast();
        runs.set(runs.size() - 1, new Run(last.scheduledAt(), last.startedAt(), last.catchUp(), clock.instant(), null));
        return this;
    }

    /** One tick: ask until the answer is to wait or that all is done. */
    void step() {
        for (int i = 0; i < 10; i++) {
            Decision d = planner.decide(schedule, state, clock.instant());
            state = d.next();
            switch (d) {
                case Decision.Start s -> runs.add(new Run(s.scheduledAt(), s.startedAt(), s.catchUp(), null, null));
                case Decision.Stop s -> {
                    Run last = runs.getLast();
                    runs.set(runs.size() - 1, new Run(last.scheduledAt(), last.startedAt(), last.catchUp(), clock.instant(), s.reason()));
                }
                case Decision.Wait w -> {
                    if (w.until() != null) assertThat(w.until()).as("a wait ends in the future").isAfter(clock.instant());
                    return;
                }
                case Decision.Finished f -> {
                    finished = true;
                    return;
                }
            }
        }
        throw new AssertionError("the planner did not settle in 10 decisions");
    }

    List<Instant> starts() {
        return runs.stream().map(Run::startedAt).toList();
    }
}
