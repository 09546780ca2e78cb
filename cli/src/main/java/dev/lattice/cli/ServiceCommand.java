package dev.lattice.cli;

import dev.lattice.bus.BusConfig;
import dev.lattice.bus.KafkaSecurity;
import dev.lattice.core.PlatformServices;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lattice service NAME}: runs one platform service in this process until it is told to
 * stop. The agent starts one such process per service; the name on the command line is what
 * {@code ps} shows. Settings come from {@code LATTICE_*} environment variables (see each
 * service's config record); {@code --kafka} overrides {@code LATTICE_KAFKA}.
 */
@Command(name = "service", description = "Run one platform service in the foreground (the agent of a control-plane node starts these).")
final class ServiceCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(ServiceCommand.class);
    /** Below the agent's 10 s before SIGKILL, so a stuck close still ends on its own terms. */
    private static final long STOP_GRACE_MS = 8_000;
    @Parameters(index = "0", description = "The service: ${COMPLETION-CANDIDATES}", completionCandidates = Names.class)
    String name;

    @Option(names = "--kafka", description = "Kafka bootstrap servers (default: $LATTICE_KAFKA)")
    String kafka;

    static final class Names extends java.util.ArrayList<String> {
        private static final long serialVersionUID = 1L;

        Names() {
            super(PlatformServices.ALL);
        }
    }

    @Override
    public Integer call() {
        Map<String, String> env = System.getenv();
        String bootstrap = kafka != null ? kafka : env.get("LATTICE_KAFKA");
        if (bootstrap == null) {
            System.err.println("lattice service: no Kafka given (--kafka HOST:PORT or LATTICE_KAFKA)");
            return 2;
        }
        // Watch the supervisor from the very start: starting can take a while, and an orphan must not linger.
        ParentWatch.start(Optional.ofNullable(env.get("LATTICE_SUPERVISOR_PID")).map(Long::parseLong));
        BusConfig bus = new BusConfig(bootstrap, name, env.get("LATTICE_INSTANCE"), env.get("LATTICE_NODE"), KafkaSecurity.fromEnv(env));
        Clock clock = Clock.systemUTC();
        Optional<Services.Service> known = Services.named(name);
        if (known.isEmpty()) {
            System.err.println("lattice service: unknown service '" + name + "'; one of " + PlatformServices.ALL);
            return 2;
        }
        AutoCloseable service;
        try {
            service = known.get().starter().start(bus, env, clock);
        } catch (RuntimeException e) {
            log.error("{} failed to start: {}", name, e.getMessage(), e);
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("{} stopping", name);
            // Closing waits on Kafka; if the broker is gone too, do not outlive the grace period.
            Thread.ofPlatform().daemon().start(() -> {
                try {
                    Thread.sleep(STOP_GRACE_MS);
                    log.warn("{} did not stop within {} ms; halting", name, STOP_GRACE_MS);
                    Runtime.getRuntime().halt(1);
                } catch (InterruptedException ignored) {
                    // stopped in time
                }
            });
            try {
                service.close();
            } catch (Exception e) {
                log.warn("{} did not stop cleanly: {}", name, e.toString());
            }
        }, "shutdown"));
        // Block until SIGTERM: the shutdown hook closes the service and the JVM ends.
        try {
            new java.util.concurrent.CountDownLatch(1).await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
