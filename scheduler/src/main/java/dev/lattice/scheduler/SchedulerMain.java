package dev.lattice.scheduler;

import dev.lattice.bus.Bus;
import dev.lattice.bus.heartbeat.Heartbeat;
import dev.lattice.core.AppScope;
import dev.lattice.scheduler.plan.Planner;
import dev.lattice.workloads.Events;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the scheduler service:
 * <ol>
 *   <li>connects to Kafka and starts the heartbeat;</li>
 *   <li>becomes the owner of kind {@code instance-schedule} (the planner's state per instance, so a
 *       restarted scheduler goes on where the last one stopped) and follows {@code app-instance};</li>
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
    private final ScheduledExecutorService loop;

    private SchedulerMain(Bus bus, ScheduledExecutorService loop) {
        this.bus = bus;
        this.loop = loop;
    }

    public static SchedulerMain start(Bus bus) {
        try {
            var heartbeat = bus.heartbeat();
            Events.ensureTopic(bus.admin());
            var schedules = bus.own(InstanceSchedule.KIND, InstanceSchedule.class, CATCH_UP);
            var instances = bus.view(AppScope.INSTANCE_KIND, Runs.Scheduled.class);
            instances.awaitCaughtUp(CATCH_UP);
            Runs runs = new Runs(instances, schedules, bus.client(), new Events(bus.producer(), bus.clock()), new Planner(), bus.clock());
            var loop = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("scheduler").unstarted(r));
            loop.scheduleWithFixedDelay(() -> {
                try {
                    runs.pass();
                } catch (RuntimeException e) {
                    log.error("scheduler pass failed: {}", e.toString(), e);
                }
            }, 0, TICK_MS, TimeUnit.MILLISECONDS);
            heartbeat.status(Heartbeat.Status.UP);
            log.info("scheduler ready: {} schedules known", schedules.view().size());
            return new SchedulerMain(bus, loop);
        } catch (RuntimeException e) {
            bus.close();
            throw e;
        }
    }

    @Override
    public void close() {
        loop.shutdownNow();
        bus.close();
    }
}
