package dev.lattice.sensors.simulate;

import dev.lattice.api.sensors.Device;
import dev.lattice.api.sensors.Reading;
import dev.lattice.api.sensors.ReadingSink;
import dev.lattice.api.sensors.SensorType;
import dev.lattice.bus.state.StateView;
import dev.lattice.bus.state.Versioned;
import java.time.Clock;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a generator for every sensor instance that has a simulator, following the instance view:
 * a new instance starts producing, a deleted one stops. Since the simulator is part of the stored
 * instance, simulators come back by themselves when the service or the platform restarts.
 */
public final class Simulators implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Simulators.class);

    private final StateView<Device> sensors;
    private final StateView<SensorType> types;
    private final ReadingSink sink;
    private final Clock clock;
    private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(1,
            r -> Thread.ofPlatform().daemon().name("simulators").unstarted(r));
    private final Map<String, ScheduledFuture<?>> running = new ConcurrentHashMap<>();

    public Simulators(StateView<Device> sensors, StateView<SensorType> types, ReadingSink sink, Clock clock) {
        this.sensors = sensors;
        this.types = types;
        this.sink = sink;
        this.clock = clock;
    }

    public Simulators start() {
        sensors.onChange(change -> {
            stop(change.name());
            change.after().ifPresent(this::startFor);
        });
        sensors.list().forEach(this::startFor);
        return this;
    }

    public int running() {
        return running.size();
    }

    private void startFor(Versioned<Device> v) {
        Device d = v.value();
        if (d.simulator() == null) return;
        SensorType type = types.get(d.type()).map(Versioned::value).orElse(null);
        if (type == null) {
            log.warn("simulator of {} not started: its type {} is missing", d.id(), d.type());
            return;
        }
        ReadingGenerator generator = new ReadingGenerator(type, d.simulator(), new Random());
        long interval = d.simulator().intervalMs();
        running.put(d.id(), timer.scheduleAtFixedRate(() -> {
            try {
                var now = clock.instant();
                sink.publish(new Reading(d.id(), now, generator.next(now)));
            } catch (RuntimeException e) {
                log.warn("simulator of {} failed: {}", d.id(), e.toString());
            }
        }, interval, interval, TimeUnit.MILLISECONDS));
        log.info("simulator {} started for {} every {} ms", d.simulator().kind(), d.id(), interval);
    }

    private void stop(String id) {
        ScheduledFuture<?> f = running.remove(id);
        if (f != null) f.cancel(false);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
