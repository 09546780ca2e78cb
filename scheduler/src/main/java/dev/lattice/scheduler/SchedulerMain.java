package dev.lattice.scheduler;

import dev.lattice.api.apps.AppInstance;
import dev.lattice.api.scheduler.InstanceSchedule;
import dev.lattice.bus.Bus;
import dev.lattice.bus.heartbeat.Heartbeat;
import dev.lattice.bus.loop.ControlLoop;
import dev.lattice.scheduler.plan.Planner;
import dev.lattice.workloads.Events;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the scheduler service:
 * <ol>
 *   <li>connects to Kafka and starts the heartbeat;</li>
 *   <li>becomes the owner of kind {@code instance-schedule} (the planner's state per instance, so a
 *       restarted scheduler goes on where the last one stopped) and follows {@code app-instance};</li>
 *   <li>counts runs and their lateness in its process's metrics ({@link SchedulerMetrics});</li>
 *   <li>runs {@link Runs#pass()} every {@value #TICK_MS} ms on one thread, and reports UP.</li>
 * </ol>
 * Runs are started and stopped through the deployer, like every other workload.
 */
public final class SchedulerMain implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SchedulerMain.class);
    private static final Duration CATCH_UP = Duration.ofSeconds(60);
    /** Short against the acceptance's 2 s for a run's start, long against the CPU of ~10 services on 2 cores. */
    static final long TICK_MS = 200;

    private final Bus bus;
    private final ControlLoop loop;
    private final SchedulerMetrics metrics;

    private SchedulerMain(Bus bus, ControlLoop loop, SchedulerMetrics metrics) {
        this.bus = bus;
        this.loop = loop;
        this.metrics = metrics;
    }

    /**
     */
    public static SchedulerMain start(Bus bus) {
        SchedulerMetrics metrics = new SchedulerMetrics(bus.metrics());
        try {
            var heartbeat = bus.heartbeat();
            var schedules = bus.own(InstanceSchedule.KIND, InstanceSchedule.class, CATCH_UP);
            var instances = bus.view(AppInstance.KIND, AppInstance.class);
            instances.awaitCaughtUp(CATCH_UP);
            Runs runs = new Runs(instances, schedules, bus.client(), Events.of(bus), new Planner(),
                    metrics, bus.clock());
            ControlLoop loop = bus.loop("scheduler", Duration.ofMillis(TICK_MS), runs::pass);
            heartbeat.status(Heartbeat.Status.UP);
            log.info("scheduler ready: {} schedules known", schedules.view().size());
            return new SchedulerMain(bus, loop, metrics);
        } catch (RuntimeException e) {
            metrics.close();
            bus.close();
            throw e;
        }
    }

    @Override
    public void close() {
        loop.close();
        metrics.close();
        bus.close();
    }
}
