package dev.lattice.gateway;

import dev.lattice.auth.AuthConfig;
import dev.lattice.auth.AuthMain;
import dev.lattice.bus.Bus;
import dev.lattice.bus.BusConfig;
import dev.lattice.bus.TestKafka;
import dev.lattice.core.PlatformServices;
import dev.lattice.monitor.MonitorMain;
import dev.lattice.repository.RepositoryConfig;
import dev.lattice.repository.RepositoryMain;
import dev.lattice.sensors.SensorsMain;
import java.time.Clock;
import java.time.Duration;

/**
 * The platform's services in this test JVM, once per JVM: a real embedded broker, auth, monitor,
 * sensors, the node manager, deployer, artefact repository, models, apps and scheduler services and a gateway on a free port, talking over Kafka exactly as
 * separate processes do.
 */
public final class TestPlatform {
    public static final String ADMIN_PASSWORD = "admin-password-for-tests";
    /** The repository's artefact limit here: small, so that a test can go over it. */
    public static final long ARTEFACT_MAX_BYTES = 4L * 1024 * 1024;
    private static GatewayMain gateway;
    private static SensorsMain sensors;

    private TestPlatform() {}

    public static synchronized GatewayMain gateway() {
        if (gateway == null) {
            String kafka = TestKafka.bootstrap();
            Clock clock = Clock.systemUTC();
            AuthMain auth = AuthMain.start(new AuthConfig(config(kafka, PlatformServices.AUTH), Duration.ofHours(1), ADMIN_PASSWORD), clock);
            MonitorMain monitor = MonitorMain.start(Bus.connect(config(kafka, PlatformServices.MONITOR), clock));
            var nodes = dev.lattice.nodes.NodesMain.start(Bus.connect(config(kafka, PlatformServices.NODES), clock),
                    dev.lattice.nodes.NodesConfig.fromEnv(java.util.Map.of()));
            var deployer = dev.lattice.deployer.DeployerMain.start(Bus.connect(config(kafka, PlatformServices.DEPLOYER), clock),
                    dev.lattice.deployer.DeployerConfig.fromEnv(java.util.Map.of()));
            // Commands fail after 3 s instead of 30, so the test can see it happen.
            sensors = SensorsMain.start(Bus.connect(config(kafka, PlatformServices.SENSORS), clock),
                    dev.lattice.sensors.SensorsConfig.fromEnv(java.util.Map.of("LATTICE_COMMAND_TIMEOUT", "PT3S",
                            "LATTICE_MQTT_PORT", "0", "LATTICE_MQTT_DIR", TestKafka.unique(System.getProperty("java.io.tmpdir") + "/lattice-mqtt"))));
            RepositoryMain repository = RepositoryMain.start(new RepositoryConfig(config(kafka, RepositoryMain.SERVICE),
                    tempDir("lattice-repository"), "127.0.0.1", 0, null, ARTEFACT_MAX_BYTES), clock);
            var models = dev.lattice.models.ModelsMain.start(Bus.connect(config(kafka, PlatformServices.MODELS), clock),
                    tempDir("lattice-models"));
            var apps = dev.lattice.apps.AppsMain.start(Bus.connect(config(kafka, PlatformServices.APPS), clock),
                    tempDir("lattice-apps"), "http://127.0.0.1:0");
            var scheduler = dev.lattice.scheduler.SchedulerMain.start(Bus.connect(config(kafka, PlatformServices.SCHEDULER), clock));
            gateway = GatewayMain.start(new GatewayConfig(config(kafka, PlatformServices.GATEWAY), "127.0.0.1", 0,
                    GatewayConfig.DEFAULT_MAX_BODY), clock);
            TestKafka.closeBeforeBroker(auth);
            TestKafka.closeBeforeBroker(monitor);
            TestKafka.closeBeforeBroker(nodes);
            TestKafka.closeBeforeBroker(deployer);
            TestKafka.closeBeforeBroker(sensors);
            TestKafka.closeBeforeBroker(repository);
            TestKafka.closeBeforeBroker(models);
            TestKafka.closeBeforeBroker(apps);
            TestKafka.closeBeforeBroker(scheduler);
            TestKafka.closeBeforeBroker(gateway);
            TestHttp http = new TestHttp(gateway.port());
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!http.get("/api/v1/health", null).body().startsWith("{\"status\":\"UP\"")) {
                if (System.nanoTime() > deadline) throw new IllegalStateException("the test platform never became healthy");
                sleep(100);
            }
        }
        return gateway;
    }

    /** The MQTT port of the sensors service (a free one). */
    public static int mqttPort() {
        gateway();
        return sensors.mqttPort();
    }

    public static TestHttp http() {
        return new TestHttp(gateway().port());
    }

    private static BusConfig config(String kafka, String service) {
        return new BusConfig(kafka, service, null, "test", TestKafka.security());
    }

    private static java.nio.file.Path tempDir(String prefix) {
        try {
            return java.nio.file.Files.createTempDirectory(prefix);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
