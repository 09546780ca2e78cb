package dev.lattice.sensors;

import dev.lattice.api.apps.AppInstance;
import dev.lattice.api.auth.VerifiedCaller;
import dev.lattice.api.sensors.DeviceTokens;
import dev.lattice.api.sensors.ControllerCommand;
import dev.lattice.api.sensors.ControllerType;
import dev.lattice.api.sensors.Device;
import dev.lattice.api.sensors.ReadingMetrics;
import dev.lattice.api.sensors.ReadingSink;
import dev.lattice.api.sensors.SensorTopics;
import dev.lattice.api.sensors.SensorType;
import dev.lattice.bus.Bus;
import dev.lattice.bus.heartbeat.Heartbeat;
import dev.lattice.sensors.catalog.Catalog;
import dev.lattice.sensors.control.AppGrants;
import dev.lattice.sensors.control.Commands;
import dev.lattice.sensors.ingest.MqttBridge;
import dev.lattice.sensors.simulate.Simulators;
import dev.lattice.workloads.Events;
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
 *   <li>starts the command tracker, the embedded MQTT broker (devices in, commands out) and the
 *       simulators of simulated sensors;</li>
 *   <li>serves {@code lattice.requests.sensors} and reports UP.</li>
 * </ol>
 */
public final class SensorsMain implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SensorsMain.class);
    private static final Duration CATCH_UP = Duration.ofSeconds(60);

    private final Bus bus;
    private final List<AutoCloseable> parts;
    private final MqttBridge mqtt;

    private SensorsMain(Bus bus, List<AutoCloseable> parts, MqttBridge mqtt) {
        this.bus = bus;
        this.parts = parts;
        this.mqtt = mqtt;
    }

    public static SensorsMain start(Bus bus, SensorsConfig config) {
        try {
            var heartbeat = bus.heartbeat();
            bus.ensure(SensorTopics.readings(config.env()));
            var sensorTypes = bus.own(SensorType.KIND, SensorType.class, CATCH_UP);
            var controllerTypes = bus.own(ControllerType.KIND, ControllerType.class, CATCH_UP);
            var sensors = bus.own(Device.SENSOR_KIND, Device.class, CATCH_UP);
            var controllers = bus.own(Device.CONTROLLER_KIND, Device.class, CATCH_UP);
            var commandLog = bus.own(ControllerCommand.KIND, ControllerCommand.class, CATCH_UP);

            ReadingSink sink = new ReadingSink(bus.newWriter(ReadingSink.PRODUCER));
            Catalog catalog = new Catalog(sensorTypes, controllerTypes, sensors, controllers, bus.clock());
            MqttBridge mqtt = new MqttBridge(sensorTypes.view(), sensors.view(), controllers.view(), sink, bus.clock(),
                    new ReadingMetrics(bus.metrics().registry(), "mqtt"));
            AppGrants apps = new AppGrants(bus.view(AppInstance.KIND, AppInstance.class));
            Commands commands = new Commands(commandLog, controllers.view(), controllerTypes.view(), apps, mqtt,
                    config.commandTimeout(), bus.clock(), bus.metrics().registry(), Events.of(bus));
            if (config.mqtt() != null) mqtt.start(config.mqtt(), commands::acknowledge);
            Simulators simulators = new Simulators(sensors.view(), sensorTypes.view(), sink, bus.clock()).start();

            Map<String, dev.lattice.bus.rpc.Handler> handlers = new HashMap<>(catalog.handlers());
            handlers.putAll(commands.handlers());
            // Users and API keys proven by auth's signatures; devices and app instances by their own tokens, checked here.
            bus.serve(handlers, VerifiedCaller.follow(bus)
                    .with(DeviceTokens.PREFIX, token -> DeviceTokens.verify(sensors.view(), controllers.view(), token))
                    .with(AppInstance.TOKEN_PREFIX, apps::verify));
            heartbeat.status(Heartbeat.Status.UP);
            log.info("sensors ready: {} sensor types, {} sensors ({} simulated), {} controller types, {} controllers",
                    sensorTypes.view().size(), sensors.view().size(), simulators.running(),
                    controllerTypes.view().size(), controllers.view().size());
            return new SensorsMain(bus, List.of(simulators, commands, mqtt), mqtt);
        } catch (RuntimeException e) {
            bus.close();
            throw e;
        }
    }

    public static SensorsMain start(Bus bus) {
        return start(bus, SensorsConfig.fromEnv(System.getenv()));
    }

    /** The MQTT port actually listened on, or -1 without MQTT. */
    public int mqttPort() {
        return mqtt.port();
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
