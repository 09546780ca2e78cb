package dev.lattice.sensors;

import dev.lattice.bus.Bus;
import dev.lattice.bus.Topics;
import dev.lattice.bus.heartbeat.Heartbeat;
import dev.lattice.sensors.catalog.Catalog;
import dev.lattice.sensors.control.CommandChannel;
import dev.lattice.sensors.control.Commands;
import dev.lattice.sensors.simulate.Simulators;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the sensors service:
 * <ol>
 *   <li>connects to Kafka, starts the heartbeat, makes sure the readings topic exists;</li>
 *   <li>becomes the owner of sensor and controller types, their instances and controller
 *       commands, rebuilding each view from its topic;</li>
 *   <li>starts the simulators of simulated sensors and the command tracker;</li>
 *   <li>serves {@code lattice.requests.sensors} and reports UP.</li>
 * </ol>
 */
public final class SensorsMain implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SensorsMain.class);
    private static final Duration CATCH_UP = Duration.ofSeconds(60);

    private final Bus bus;
    private final List<AutoCloseable> parts;

    private SensorsMain(Bus bus, List<AutoCloseable> parts) {
        this.bus = bus;
        this.parts = parts;
    }

    public static SensorsMain start(Bus bus, Map<String, String> env, CommandChannel channel) {
        try {
            var heartbeat = bus.heartbeat();
            Topics.ensure(bus.admin(), List.of(SensorTopics.readings(env)));
            var sensorTypes = bus.own(SensorType.KIND, SensorType.class, CATCH_UP);
            var controllerTypes = bus.own(ControllerType.KIND, ControllerType.class, CATCH_UP);
            var sensors = bus.own(Device.SENSOR_KIND, Device.class, CATCH_UP);
            var controllers = bus.own(Device.CONTROLLER_KIND, Device.class, CATCH_UP);
            var commandLog = bus.own(ControllerCommand.KIND, ControllerCommand.class, CATCH_UP);

            ReadingSink sink = new ReadingSink(bus.producer());
            Catalog catalog = new Catalog(sensorTypes, controllerTypes, sensors, controllers, bus.clock());
            Commands commands = new Commands(commandLog, controllers.view(), controllerTypes.view(), channel,
                    commandTimeout(env), bus.clock());
            Simulators simulators = new Simulators(sensors.view(), sensorTypes.view(), sink, bus.clock()).start();

            Map<String, dev.lattice.bus.rpc.Handler> handlers = new HashMap<>(catalog.handlers());
            handlers.putAll(commands.handlers());
            bus.serve(handlers);
            heartbeat.status(Heartbeat.Status.UP);
            log.info("sensors ready: {} sensor types, {} sensors ({} simulated), {} controller types, {} controllers",
                    sensorTypes.view().size(), sensors.view().size(), simulators.running(),
                    controllerTypes.view().size(), controllers.view().size());
            return new SensorsMain(bus, List.of(simulators, commands));
        } catch (RuntimeException e) {
            bus.close();
            throw e;
        }
    }

    /** {@code LATTICE_COMMAND_TIMEOUT} (ISO-8601, default 30 s): how long a command may wait for delivery. */
    static Duration commandTimeout(Map<String, String> env) {
        String v = env.get("LATTICE_COMMAND_TIMEOUT");
        try {
            return v == null || v.isBlank() ? Duration.ofSeconds(30) : Duration.parse(v);
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("LATTICE_COMMAND_TIMEOUT: '" + v + "' is not an ISO-8601 duration such as PT30S");
        }
    }

    public static SensorsMain start(Bus bus) {
        return start(bus, System.getenv(), CommandChannel.NONE);
    }

    @Override
    public void close() {
        for (AutoCloseable p : parts) {
            try {
                p.close();
            } catch (Exception e) {
                log.warn("closing {} failed: {}", p.getClass().getSimpleName(), e.toString());
            }
        }
        bus.close();
    }
}
