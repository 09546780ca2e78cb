package dev.lattice.cli;

import dev.lattice.apps.AppsConfig;
import dev.lattice.apps.AppsMain;
import dev.lattice.auth.AuthConfig;
import dev.lattice.auth.AuthMain;
import dev.lattice.bus.Bus;
import dev.lattice.bus.BusConfig;
import dev.lattice.core.PlatformServices;
import dev.lattice.deployer.DeployerConfig;
import dev.lattice.deployer.DeployerMain;
import dev.lattice.gateway.GatewayConfig;
import dev.lattice.gateway.GatewayMain;
import dev.lattice.models.ModelsConfig;
import dev.lattice.models.ModelsMain;
import dev.lattice.monitor.MonitorMain;
import dev.lattice.nodes.NodesConfig;
import dev.lattice.nodes.NodesMain;
import dev.lattice.repository.RepositoryConfig;
import dev.lattice.repository.RepositoryMain;
import dev.lattice.scheduler.SchedulerMain;
import dev.lattice.sensors.SensorsConfig;
import dev.lattice.sensors.SensorsMain;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every platform service in one table: its name and how it starts, its settings read once from the
 * environment into its config record before anything connects (a bad value fails the start at
 * once, naming its key). {@code lattice
 * service NAME} runs one; {@code lattice up} starts them all in {@link PlatformServices#ALL}'s
 * order, each as such a process. A new service is a row here and a name there.
 */
final class Services {
    /** Starts one service; what it returns is closed when the process is told to stop. */
    @FunctionalInterface
    interface Starter {
        AutoCloseable start(BusConfig bus, Map<String, String> env, Clock clock);
    }

    record Service(String name, Starter starter) {}

    static final List<Service> ALL = List.of(
            new Service(PlatformServices.AUTH, (bus, env, clock) -> AuthMain.start(AuthConfig.fromEnv(bus, env), clock)),
            new Service(PlatformServices.MONITOR, (bus, env, clock) -> MonitorMain.start(Bus.connect(bus, clock))),
            new Service(PlatformServices.NODES, (bus, env, clock) -> {
                NodesConfig config = NodesConfig.fromEnv(env);
                return NodesMain.start(Bus.connect(bus, clock), config);
            }),
            new Service(PlatformServices.DEPLOYER, (bus, env, clock) -> {
                DeployerConfig config = DeployerConfig.fromEnv(env);
                return DeployerMain.start(Bus.connect(bus, clock), config);
            }),
            new Service(PlatformServices.REPOSITORY, (bus, env, clock) -> RepositoryMain.start(RepositoryConfig.fromEnv(bus, env), clock)),
            new Service(PlatformServices.MODELS, (bus, env, clock) -> {
                ModelsConfig config = ModelsConfig.fromEnv(env);
                return ModelsMain.start(Bus.connect(bus, clock), config.scratch());
            }),
            new Service(PlatformServices.SENSORS, (bus, env, clock) -> {
                SensorsConfig config = SensorsConfig.fromEnv(env);
                return SensorsMain.start(Bus.connect(bus, clock), config);
            }),
            new Service(PlatformServices.APPS, (bus, env, clock) -> {
                AppsConfig config = AppsConfig.fromEnv(env);
                return AppsMain.start(Bus.connect(bus, clock), config.scratch(), config.publicUrl());
            }),
            new Service(PlatformServices.SCHEDULER, (bus, env, clock) -> SchedulerMain.start(Bus.connect(bus, clock))),
            new Service(PlatformServices.GATEWAY, (bus, env, clock) -> GatewayMain.start(GatewayConfig.fromEnv(bus, env), clock)));

    private Services() {}

    static Optional<Service> named(String name) {
        return ALL.stream().filter(s -> s.name().equals(name)).findFirst();
    }
}
