package dev.lattice.apps;

import dev.lattice.api.auth.VerifiedCaller;
import dev.lattice.api.apps.AppInstance;
import dev.lattice.api.apps.AppVersion;
import dev.lattice.api.apps.Catalog;
import dev.lattice.api.models.ModelVersion;
import dev.lattice.api.repository.ArtefactClient;
import dev.lattice.api.repository.Endpoints;
import dev.lattice.api.sensors.ControllerType;
import dev.lattice.api.sensors.Device;
import dev.lattice.api.sensors.SensorType;
import dev.lattice.apps.instances.BindingCheck;
import dev.lattice.apps.instances.InstanceCommands;
import dev.lattice.apps.instances.WorkloadPlan;
import dev.lattice.apps.upload.VersionCommands;
import dev.lattice.bus.Bus;
import dev.lattice.bus.heartbeat.Heartbeat;
import dev.lattice.bus.rpc.Handler;
import dev.lattice.bus.state.StateView;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the apps service:
 * <ol>
 *   <li>connects to Kafka and starts the heartbeat;</li>
 *   <li>becomes the owner of kinds {@code app-version} and {@code app-instance};</li>
 *   <li>follows what configs and instances refer to: sensor and controller types and instances,
 *       model versions, and the repository's endpoint (to read staged uploads);</li>
 *   <li>serves add-app-version, create-app-instance and delete-app-instance on
 *       {@code lattice.requests.apps}, and reports UP.</li>
 * </ol>
 * It never runs an app itself: each instance is a workload placed by the deployer.
 *
 * @param publicUrl the gateway's address as apps should call it ({@code LATTICE_PUBLIC_URL})
 */
public final class AppsMain implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AppsMain.class);
    private static final Duration CATCH_UP = Duration.ofSeconds(60);
    private final Bus bus;

    private AppsMain(Bus bus) {
        this.bus = bus;
    }

    /** {@code scratch}: a folder of this process's own for the files it checks. */
    public static AppsMain start(Bus bus, Path scratch, String publicUrl) {
        try {
            var heartbeat = bus.heartbeat();
            var versions = bus.own(AppVersion.KIND, AppVersion.class, CATCH_UP);
            var instances = bus.own(AppInstance.KIND, AppInstance.class, CATCH_UP);
            StateView<SensorType> sensorTypes = caughtUp(bus.view(SensorType.KIND, SensorType.class));
            StateView<ControllerType> controllerTypes = caughtUp(bus.view(ControllerType.KIND, ControllerType.class));
            StateView<ModelVersion> models = caughtUp(bus.view(ModelVersion.KIND, ModelVersion.class));
            StateView<Device> sensors = caughtUp(bus.view(Device.SENSOR_KIND, Device.class));
            StateView<Device> controllers = caughtUp(bus.view(Device.CONTROLLER_KIND, Device.class));
            Catalog catalog = new Catalog() {
                public boolean sensorType(String name) {
                    return sensorTypes.get(name).isPresent();
                }

                public boolean controllerType(String name) {
                    return controllerTypes.get(name).isPresent();
                }

                public boolean model(String name) {
                    return models.list().stream().anyMatch(v -> v.value().name().equals(name));
                }
            };
            Endpoints endpoints = Endpoints.follow(bus, CATCH_UP);
            Map<String, Handler> handlers = new HashMap<>();
            handlers.putAll(new VersionCommands(versions, catalog, endpoints, new ArtefactClient(), bus.client(), scratch,
                    bus.clock()).handlers());
            handlers.putAll(new InstanceCommands(versions.view(), instances, new BindingCheck(sensors, controllers),
                    WorkloadPlan.ofThisInstallation(publicUrl), bus.client(), bus.clock()).handlers());
            bus.serve(handlers, VerifiedCaller.follow(bus));
            heartbeat.status(Heartbeat.Status.UP);
            log.info("apps service ready: {} versions, {} instances known", versions.view().size(), instances.view().size());
            return new AppsMain(bus);
        } catch (RuntimeException e) {
            bus.close();
            throw e;
        }
    }

    private static <T> StateView<T> caughtUp(StateView<T> view) {
        view.awaitCaughtUp(CATCH_UP);
        return view;
    }

    @Override
    public void close() {
        bus.close();
    }
}
