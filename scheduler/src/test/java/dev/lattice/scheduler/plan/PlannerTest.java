package dev.lattice.scheduler.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lattice.api.scheduler.Schedule;
import dev.lattice.api.scheduler.ScheduleState;
import dev.lattice.scheduler.plan.Decision.StopReason;
import dev.lattice.scheduler.plan.Simulation.Run;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlannerTest {
    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
    private static final Duration TICK = Duration.ofMillis(250);
    private final Planner planner = new Planner();

    private static Instant t(double seconds) {
        return T0.plusMillis(Math.round(seconds * 1000));
    }

    private static Schedule every10s(Integer duration) {
        return Schedule.cron("*/10 * * * * ?").withDurationSeconds(duration);
    }

    /** Starts just before T0 so that T0 is the first fire time owed. */
    private Simulation simulate(Schedule schedule) {
        return new Simulation(planner, schedule, t(-0.5));
    }

    @Test
    void everyTenSecondsForFourGivesOneRunPerPeriodStoppedFourSecondsLater() {
        Simulation sim = simulate(every10s(4)).runUntil(t(60), TICK);

        assertThat(sim.runs).hasSize(6);
        for (int i = 0; i < 6; i++) {
            Run run = sim.runs.get(i);
            assertThat(run.scheduledAt()).isEqualTo(t(10 * i));
            assertThat(new Lateness(run.scheduledAt(), run.startedAt()).within(TICK)).isTrue();
            assertThat(run.stoppedAt()).isEqualTo(run.startedAt().plusSeconds(4));
            assertThat(run.reason()).isEqualTo(StopReason.DURATION_ELAPSED);
            assertThat(run.catchUp()).isFalse();
        }
        assertNoOverlap(sim.runs);
        assertThat(sim.state.runs()).isEqualTo(6);
        assertThat(sim.state.skipped()).isZero();
        assertThat(sim.state.missed()).isZero();
    }

    @Test
    void startsLateTicksWithinTheTickAndStillGivesTheFullDuration() {
        Simulation sim = simulate(every10s(4)).runUntil(t(60), Duration.ofMillis(700));

        assertThat(sim.runs).hasSize(6);
        for (Run run : sim.runs) {
            assertThat(new Lateness(run.scheduledAt(), run.startedAt()).within(Duration.ofMillis(700))).isTrue();
            assertThat(Duration.between(run.startedAt(), run.stoppedAt())).isBetween(Duration.ofSeconds(4), Duration.ofMillis(4700));
        }
        assertNoOverlap(sim.runs);
    }

    @Test
    void aFireTimeThatComesWhileARunGoesOnIsSkippedAndCountedNotQueued() {
        Simulation sim = simulate(every10s(15)).runUntil(t(60), TICK);

        assertThat(sim.runs).extracting(Run::scheduledAt).containsExactly(t(0), t(20), t(40));
        assertThat(sim.runs).extracting(Run::stoppedAt).containsExactly(t(15), t(35), t(55));
        assertNoOverlap(sim.runs);
        assertThat(sim.state.skipped()).isEqualTo(3); // 10, 30, 50
        assertThat(sim.state.runs()).isEqualTo(3);
    }

    @Test
    void aRunDueToStopAtAFireTimeStopsBeforeTheNextStarts() {
        Simulation sim = simulate(every10s(10)).runUntil(t(30), TICK);

        assertThat(sim.runs).extracting(Run::scheduledAt).containsExactly(t(0), t(10), t(20));
        assertThat(sim.runs).extracting(Run::stoppedAt).containsExactly(t(10), t(20), null);
        assertThat(sim.state.skipped()).isZero();
    }

    @Test
    void downtimeOf35SecondsGivesExactlyOneCatchUpRunInsideTheWindow() {
        Simulation sim = simulate(every10s(4)).runUntil(t(1), TICK).down(Duration.ofSeconds(35)).runUntil(t(60), TICK);

        assertThat(sim.runs).extracting(Run::scheduledAt).containsExactly(t(0), t(30), t(40), t(50));
        assertThat(sim.runs).extracting(Run::catchUp).containsExactly(false, true, false, false);
        Run catchUp = sim.runs.get(1);
        assertThat(catchUp.startedAt()).isEqualTo(t(36));
        assertThat(catchUp.stoppedAt()).isEqualTo(t(40));
        // The run going on when the platform went down is stopped on recovery, before anything starts.
        assertThat(sim.runs.getFirst().stoppedAt()).isEqualTo(t(36));
        assertNoOverlap(sim.runs);
        assertThat(sim.state.missed()).isEqualTo(2); // 10 and 20: no burst of old runs
    }

    @Test
    void downtimeGivesNoCatchUpWhenTheWindowHasEnded() {
        Schedule schedule = every10s(4).withWindow(null, t(35));
        Simulation sim = simulate(schedule).runUntil(t(1), TICK).down(Duration.ofSeconds(35)).runUntil(t(60), TICK);

        assertThat(sim.runs).extracting(Run::scheduledAt).containsExactly(t(0));
        assertThat(sim.finished).isTrue();
    }

    @Test
    void noCatchUpWhenTheNextRunWouldComeBeforeItCouldEnd() {
        Simulation sim = simulate(every10s(4)).runUntil(t(1), TICK).down(Duration.ofSeconds(37)).runUntil(t(50), TICK);

        assertThat(sim.runs).extracting(Run::scheduledAt).containsExactly(t(0), t(40));
        assertThat(sim.state.missed()).isEqualTo(3); // 10, 20, 30
    }

    @Test
    void aCatchUpWithoutDurationStartsEvenIfTheNextFireTimeIsNear() {
        Simulation sim = simulate(every10s(null)).runUntil(t(1), TICK).appExits().down(Duration.ofSeconds(38)).runUntil(t(39.5), TICK);

        assertThat(sim.runs).extracting(Run::scheduledAt).containsExactly(t(0), t(30));
        assertThat(sim.runs.get(1).catchUp()).isTrue();
    }

    @Test
    void aLateTickWithinTheGraceIsOnTimeNotACatchUp() {
        Simulation sim = simulate(every10s(4)).runUntil(t(1), TICK).down(Duration.ofSeconds(31)).runUntil(t(33), TICK);

        assertThat(sim.runs).extracting(Run::scheduledAt).containsExactly(t(0), t(30));
        assertThat(sim.runs.get(1).catchUp()).isFalse();
        assertThat(sim.runs.get(1).startedAt()).isEqualTo(t(32));
    }

    @Test
    void nothingStartsBeforeTheWindowOpens() {
        Simulation sim = simulate(every10s(4).withWindow(t(25), null)).runUntil(t(45), TICK);

        assertThat(sim.runs).extracting(Run::scheduledAt).containsExactly(t(30), t(40));
        assertThat(planner.nextFireTime(every10s(4).withWindow(t(30), null), t(0))).contains(t(30));
    }

    @Test
    void aRunStillGoingWhenTheWindowEndsIsStoppedAndTheScheduleFinishes() {
        Simulation sim = simulate(every10s(null).withWindow(null, t(25))).runUntil(t(40), TICK);

        assertThat(sim.runs).hasSize(1);
        assertThat(sim.runs.getFirst().stoppedAt()).isEqualTo(t(25));
        assertThat(sim.runs.getFirst().reason()).isEqualTo(StopReason.WINDOW_ENDED);
        assertThat(sim.state.skipped()).isEqualTo(2); // 10, 20
        assertThat(sim.finished).isTrue();
    }

    @Test
    void aRunThatEndsByItselfLetsTheNextFireTimeStart() {
        Simulation sim = simulate(every10s(null)).runUntil(t(12.5), TICK).appExits().runUntil(t(25), TICK);

        assertThat(sim.runs).extracting(Run::scheduledAt).containsExactly(t(0), t(20));
        assertThat(sim.state.skipped()).isEqualTo(1); // 10
    }

    @Test
    void cronFireTimesBeforeTheInstanceExistedAreNotOwed() {
        Simulation sim = new Simulation(planner, every10s(4), t(3)).runUntil(t(15), TICK);

        assertThat(sim.runs).extracting(Run::scheduledAt).containsExactly(t(10));
        assertThat(sim.state.missed()).isZero();
    }

    @Test
    void aCronThatNeverFiresAgainIsFinished() {
        Decision d = planner.decide(Schedule.cron("0 0 0 1 1 ? 2020"), ScheduleState.since(T0), T0);

        assertThat(d).isInstanceOf(Decision.Finished.class);
    }

    @Test
    void anAtInThePastInsideTheWindowRunsOnce() {
        Schedule schedule = Schedule.at(t(-60)).withWindow(t(-120), t(120)).withDurationSeconds(4);
        Simulation sim = new Simulation(planner, schedule, T0).runUntil(t(30), TICK);

        assertThat(sim.runs).hasSize(1);
        Run run = sim.runs.getFirst();
        assertThat(run.scheduledAt()).isEqualTo(t(-60));
        assertThat(run.startedAt()).isEqualTo(T0);
        assertThat(run.catchUp()).isTrue();
        assertThat(run.stoppedAt()).isEqualTo(t(4));
        assertThat(sim.finished).isTrue();
    }

    @Test
    void anAtInTheFutureWaitsAndRunsOnceOnTime() {
        Schedule schedule = Schedule.at(t(10));
        assertThat(planner.decide(schedule, ScheduleState.since(T0), T0)).isEqualTo(new Decision.Wait(t(10), ScheduleState.since(T0)));

        Simulation sim = new Simulation(planner, schedule, T0).runUntil(t(30), TICK).appExits().runUntil(t(40), TICK);

        assertThat(sim.runs).extracting(Run::startedAt).containsExactly(t(10));
        assertThat(sim.runs.getFirst().catchUp()).isFalse();
        assertThat(sim.finished).isTrue();
    }

    @Test
    void anAtAfterTheEndOrBeforeTheStartNeverRuns() {
        for (Schedule schedule : List.of(Schedule.at(t(10)).withWindow(null, t(5)), Schedule.at(t(10)).withWindow(t(20), null))) {
            Simulation sim = new Simulation(planner, schedule, T0).runUntil(t(30), TICK);

            assertThat(sim.runs).isEmpty();
            assertThat(sim.finished).isTrue();
        }
    }

    @Test
    void anAtMissedUntilAfterTheWindowEndedNeverRuns() {
        Schedule schedule = Schedule.at(t(10)).withWindow(null, t(20));
        Simulation sim = new Simulation(planner, schedule, T0).down(Duration.ofSeconds(25)).runUntil(t(30), TICK);

        assertThat(sim.runs).isEmpty();
        assertThat(sim.state.missed()).isEqualTo(1);
        assertThat(sim.finished).isTrue();
    }

    @Test
    void aRestartedPlannerDecidesFromTheSavedStateAlone() {
        Simulation sim = simulate(every10s(4)).runUntil(t(2), TICK);
        Decision before = planner.decide(every10s(4), sim.state, t(2));

        sim.down(Duration.ZERO);

        assertThat(new Planner().decide(every10s(4), sim.state, t(2))).isEqualTo(before);
    }

    @Test
    void aLongDowntimeOfAnEverySecondCronCountsBoundedly() {
        Simulation sim = new Simulation(planner, Schedule.cron("* * * * * ?"), T0).down(Duration.ofDays(7)).runUntil(t(7 * 86_400 + 1), TICK);

        assertThat(sim.runs).hasSize(1);
        assertThat(sim.state.missed()).isEqualTo(Planner.COUNT_CAP);
    }

    private static void assertNoOverlap(List<Run> runs) {
        for (int i = 1; i < runs.size(); i++) {
            assertThat(runs.get(i).startedAt()).as("run %d starts after run %d stopped", i, i - 1)
                    .isAfterOrEqualTo(runs.get(i - 1).stoppedAt());
        }
    }
}
