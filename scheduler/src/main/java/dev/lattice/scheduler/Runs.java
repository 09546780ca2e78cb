package dev.lattice.scheduler;

import dev.lattice.api.apps.AppInstance;
import dev.lattice.api.scheduler.InstanceSchedule;
import dev.lattice.api.scheduler.ScheduleState;
import dev.lattice.bus.rpc.RequestClient;
import dev.lattice.bus.state.StateOwner;
import dev.lattice.bus.state.StateView;
import dev.lattice.bus.state.Versioned;
import dev.lattice.core.LatticeException;
import dev.lattice.core.Principal;
import dev.lattice.scheduler.plan.Decision;
import dev.lattice.scheduler.plan.Planner;
import dev.lattice.workloads.DeployerCommands;
import dev.lattice.workloads.Events;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pass over every scheduled app instance: asks the {@link Planner} what to do now, carries it
 * out through the deployer (a run is the instance's deployment applied; its end, the deployment
 * deleted), and keeps the planner's state in the {@code instance-schedule} kind. Level-triggered
 * and idempotent: a run is applied before its state is saved, so a scheduler that dies between the
 * two applies the same deployment again on its next life (the deployer takes it as no change),
 * never a second copy; and schedules of instances that are gone are ended and forgotten.
 * Not thread-safe: one thread runs the passes.
 */
final class Runs {
    private static final Logger log = LoggerFactory.getLogger(Runs.class);
    private static final Principal SELF = Principal.service("scheduler");
    /** Enough decisions for one instance in one pass (stop, then start); more means a loop. */
    private static final int MAX_STEPS = 8;

    private final StateView<AppInstance> instances;
    private final StateOwner<InstanceSchedule> schedules;
    private final RequestClient client;
    private final Events events;
    private final Planner planner;
    private final SchedulerMetrics metrics;
    private final Clock clock;

    Runs(StateView<AppInstance> instances, StateOwner<InstanceSchedule> schedules, RequestClient client, Events events,
         Planner planner, SchedulerMetrics metrics, Clock clock) {
        this.metrics = metrics;
        this.instances = instances;
        this.schedules = schedules;
        this.client = client;
        this.events = events;
        this.planner = planner;
        this.clock = clock;
    }

    void pass() {
        Set<String> live = new HashSet<>();
        for (Versioned<AppInstance> v : instances.list()) {
            AppInstance s = v.value();
            if (s.schedule() == null || s.deployment() == null) continue;
            live.add(s.id());
            try {
                step(s);
            } catch (RuntimeException e) {
                log.warn("schedule of {}: {}", s.id(), e.toString());
            }
        }
        for (Versioned<InstanceSchedule> v : schedules.view().list()) {
            if (live.contains(v.value().instance())) continue;
            try {
                // The instance was deleted: its apps service stopped its deployment; make sure, then forget it.
                if (v.value().state().active()) stopDeployment(v.value().instance());
                schedules.delete(v.value().instance(), v.version(), SELF.name());
            } catch (RuntimeException e) {
                log.warn("cannot forget the schedule of {}: {}", v.value().instance(), e.toString());
            }
        }
    }

    private void step(AppInstance s) {
        var stored = schedules.view().get(s.id());
        InstanceSchedule rec = stored.map(Versioned::value)
                .orElseGet(() -> new InstanceSchedule(s.id(), ScheduleState.since(s.createdAt()), false, null, java.util.List.of()));
        InstanceSchedule before = rec;
        for (int i = 0; i < MAX_STEPS; i++) {
            Instant now = clock.instant();
            Decision d = planner.decide(s.schedule(), rec.state(), now);
            if (d instanceof Decision.Start start) {
                client.call(DeployerCommands.SERVICE, DeployerCommands.APPLY, s.deployment(), SELF, Map.class);
                long lateMs = start.lateness().duration().toMillis();
                metrics.started(start.lateness().duration(), start.catchUp());
                rec = rec.with(start.next(), false, null).withRun(new InstanceSchedule.Run(start.scheduledAt(), start.startedAt(),
                        lateMs, start.catchUp(), null, null));
                events.publish("run-started", "app-instance/" + s.id(), "run for " + start.scheduledAt() + " started "
                        + lateMs + " ms after its time" + (start.catchUp() ? " (catch-up after downtime)" : ""));
            } else if (d instanceof Decision.Stop stop) {
                stopDeployment(s.id());
                String reason = stop.reason() == Decision.StopReason.DURATION_ELAPSED ? "duration elapsed" : "window ended";
                rec = rec.with(stop.next(), false, null).withLastRunStopped(now, reason);
                metrics.stopped(reason);
                events.publish("run-stopped", "app-instance/" + s.id(), "run stopped: " + reason);
            } else if (d instanceof Decision.Wait wait) {
                Instant next = planner.nextFireTime(s.schedule(), now).orElse(null);
                rec = rec.with(wait.next(), false, next);
                break;
            } else {
                rec = rec.with(d.next(), true, null);
                break;
            }
        }
        if (Objects.equals(rec, before)) return;
        if (stored.isEmpty()) schedules.create(s.id(), rec, SELF.name());
        else schedules.update(s.id(), stored.get().version(), rec, SELF.name());
    }

    private void stopDeployment(String instance) {
        try {
            client.call(DeployerCommands.SERVICE, DeployerCommands.DELETE, new DeployerCommands.Delete(AppInstance.deploymentOf(instance)), SELF, Map.class);
        } catch (LatticeException e) {
            if (e.status() != 404) throw e; // already gone
        }
    }
}
