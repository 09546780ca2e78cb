package dev.lattice.cli;

import dev.lattice.agent.AgentConfig;
import dev.lattice.agent.supervision.Backoff;
import dev.lattice.agent.supervision.ProcessSpec;
import dev.lattice.agent.supervision.ServiceProcess;
import dev.lattice.agent.supervision.Supervised;
import dev.lattice.agent.supervision.Supervisor;
import dev.lattice.agent.runtime.sandbox.SandboxSupport;
import dev.lattice.api.monitor.HealthReport;
import dev.lattice.bus.Bus;
import dev.lattice.bus.BusConfig;
import dev.lattice.bus.KafkaCheck;
import dev.lattice.bus.KafkaSecurity;
import dev.lattice.bus.broker.EmbeddedKafka;
import dev.lattice.bus.state.StateView;
import dev.lattice.bus.state.Versioned;
import dev.lattice.core.Json;
import dev.lattice.core.PlatformServices;
import dev.lattice.core.SecretTokens;
import dev.lattice.workloads.Deployment;
import dev.lattice.workloads.Node;
import dev.lattice.workloads.NodeStatus;
import dev.lattice.workloads.Resources;
import dev.lattice.workloads.Workload;
import dev.lattice.workloads.WorkloadSpec;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lattice up}: the whole platform on this machine, in the foreground.
 * <ol>
 *   <li>locks the data directory (one platform per directory);</li>
 *   <li>starts the embedded Kafka broker in {@code DATA/kafka}, unless {@code --kafka} names a cluster;</li>
 *   <li>settles the first admin's password;</li>
 *   <li>starts one node agent per node ({@code --nodes N}: n1..nN), each its own process, kept running;
 *       the agent of n1 (label control-plane) runs every platform service as a static workload;</li>
 *   <li>waits until health is UP and says where the UI is.</li>
 * </ol>
 * SIGINT or SIGTERM stops the services, then the broker.
 */
@Command(name = "up", description = "Start the whole platform on this machine (Ctrl-C stops it).")
final class UpCommand implements Callable<Integer> {
    static final String CONTROL_NODE = "n1";

    @Option(names = "--data", defaultValue = "./lattice-data", description = "Data directory (default: ${DEFAULT-VALUE})")
    Path data;

    @Option(names = "--port", defaultValue = "8080", description = "HTTP port of the gateway and UI (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--mqtt-port", defaultValue = "1883", description = "MQTT port for devices (default: ${DEFAULT-VALUE})")
    int mqttPort;

    @Option(names = "--kafka", description = "Use this Kafka cluster (HOST:PORT[,...]) instead of the embedded broker")
    String kafka;

    @Option(names = "--listen", description = "The address other hosts reach this one by: the gateway, MQTT, the embedded broker "
            + "and every endpoint the platform advertises listen there (default: as on one machine)")
    String listen;

    @Option(names = "--nodes", defaultValue = "1", description = "Nodes to simulate on this machine, n1..nN, each with its own agent (default: ${DEFAULT-VALUE})")
    int nodes;

    @Option(names = "--runtime", defaultValue = "process", description = "How nodes run workloads: process or docker (default: ${DEFAULT-VALUE})")
    String runtime;

    @Option(names = "--insecure-workloads", description = "Run apps, model servers and deployments UNCONFINED where this host "
            + "cannot sandbox them (no bubblewrap, setpriv or cgroups): any uploaded code can then take over the platform")
    boolean insecureWorkloads;

    @Option(names = "--ready-timeout", defaultValue = "120", description = "Seconds to wait for health UP (default: ${DEFAULT-VALUE})")
    int readyTimeout;

    @Override
    public Integer call() throws Exception {
        long t0 = System.nanoTime();
        java.time.Instant startedAt = java.time.Instant.now();
        if (port < 1 || port > 65535) {
            System.err.println("lattice up: --port " + port + " is not a port (1-65535)");
            return 2;
        }
        if (nodes < 1 || nodes > 16) {
            System.err.println("lattice up: --nodes " + nodes + " must be 1..16");
            return 2;
        }
        if (!runtime.equals("process") && !runtime.equals("docker")) {
            System.err.println("lattice up: --runtime must be process or docker, not " + runtime);
            return 2;
        }
        if (runtime.equals("docker")) {
            try {
                Runtimes.docker().close();
            } catch (IllegalStateException e) {
                System.err.println("lattice up: --runtime docker: " + e.getMessage());
                return 1;
            }
        }
        if (insecureWorkloads) {
            System.err.println("lattice up: WARNING: --insecure-workloads: user workloads run unconfined, as root, next to the platform's secrets");
        } else if (runtime.equals("process") && !SandboxSupport.detect().available()) {
            System.err.println("lattice up: this host cannot sandbox user workloads, so apps, model servers and deployments will be refused: "
                    + "it needs " + String.join(", ", SandboxSupport.detect().missing()) + " (or start with --insecure-workloads)");
        }
        Path dir = data.toAbsolutePath().normalize();
        if (!Files.exists(dir)) {
            // Only the platform's own user may read its data: the Kafka log holds password hashes.
            Files.createDirectories(dir, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
        }
        Files.createDirectories(dir.resolve("logs"));
        FileChannel lockFile = FileChannel.open(dir.resolve("lattice.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = lockFile.tryLock();
        if (lock == null) {
            System.err.println("lattice up: another platform is running on " + dir);
            return 1;
        }
        if (!portFree(port)) {
            System.err.println("lattice up: port " + port + " is in use; choose another with --port");
            return 1;
        }
        if (listen != null && !localAddress(listen)) {
            System.err.println("lattice up: --listen " + listen + " is not an address of this host");
            return 2;
        }
        if (mqttPort < 1 || mqttPort > 65535 || mqttPort == port || !portFree(mqttPort)) {
            System.err.println("lattice up: MQTT port " + mqttPort + " is not free; choose another with --mqtt-port");
            return 1;
        }
        AdminPassword admin;
        KafkaSecurity external;
        try {
            admin = AdminPassword.resolve(dir, System.getenv("LATTICE_ADMIN_PASSWORD"));
            external = kafka == null ? null : KafkaSecurity.fromEnv(System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("lattice up: " + e.getMessage());
            return 2;
        }
        // The embedded broker lets in only who knows its secret (DATA/kafka-secret); an external one, whoever LATTICE_KAFKA_* says.
        // Each service's Kafka user: on the embedded broker a PLAIN user it starts with, so made first.
        Map<String, String> servicePasswords = kafka == null ? ServiceIdentities.newPasswords() : null;
        EmbeddedKafka broker = kafka == null
                ? EmbeddedKafka.start(dir.resolve("kafka"), listen != null ? listen : "localhost", 0, servicePasswords) : null;
        String bootstrap = broker != null ? broker.bootstrapServers() : kafka;
        KafkaSecurity security = broker != null ? broker.clientSecurity() : external;
        if (broker == null && !KafkaCheck.reachable(bootstrap, security, Duration.ofSeconds(15))) {
            System.err.println("lattice up: no Kafka answers at " + bootstrap + " (--kafka), or it refused the LATTICE_KAFKA_* credentials");
            return 1;
        }

        Clock clock = Clock.systemUTC();
        Bus bus = Bus.connect(new BusConfig(bootstrap, "lattice-up", null, CONTROL_NODE, security), clock);
        // This process listens too (the embedded broker): its /metrics, the JVM's figures (Kafka's broker metrics are not bridged).
        bus.metrics(listen != null ? listen : "127.0.0.1");
        List<Supervisor<Supervised.Run>> agents = new ArrayList<>();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Stopping Lattice...");
            // Each agent stops its node's workloads (the services on n1) before it exits.
            List<Thread> stoppers;
            synchronized (agents) {
                stoppers = agents.stream().map(a -> Thread.ofVirtual().start(() -> a.stop(Duration.ofSeconds(25)))).toList();
            }
            for (Thread t : stoppers) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            bus.close();
            if (broker != null) broker.close();
            try {
                lock.release();
                lockFile.close();
            } catch (IOException ignored) {
                // the process is ending anyway
            }
            stopped.countDown();
            System.out.println("Lattice stopped.");
        }, "lattice-stop"));

        Map<String, String> common = new HashMap<>();
        common.put("LATTICE_KAFKA", bootstrap);
        common.put("LATTICE_SUPERVISOR_PID", Long.toString(ProcessHandle.current().pid()));
        common.put("LATTICE_DATA", dir.toString());
        if (broker != null) {
            // In the child's environment, readable only by this user and root. (External: the user's own LATTICE_KAFKA_* are inherited.)
            common.put(KafkaSecurity.USERNAME_ENV, broker.username());
            common.put(KafkaSecurity.PASSWORD_ENV, broker.password());
            common.put(KafkaSecurity.PROPERTIES_ENV, "");
        } else {
            // Services run with a clean environment (the agent passes on only what it is given).
            for (String k : List.of(KafkaSecurity.USERNAME_ENV, KafkaSecurity.PASSWORD_ENV, KafkaSecurity.PROPERTIES_ENV)) {
                if (System.getenv(k) != null) common.put(k, System.getenv(k));
            }
        }
        Launcher launcher = new Launcher(dir, common);
        String joinToken = JoinTokenFile.loadOrCreate(dir.resolve("join-token"));
        Map<String, ServiceIdentities.Login> identities = ServiceIdentities.grant(bus, servicePasswords);
        Path staticFile = writeStaticServices(dir, launcher, admin, SecretTokens.hash(joinToken), identities);
        synchronized (agents) {
            for (int i = 1; i <= nodes; i++) {
                String node = "n" + i;
                List<String> args = new ArrayList<>(List.of("--data", dir.resolve("nodes").resolve(node).toString(), "--runtime", runtime,
                        "--hide", dir.toString()));
                if (insecureWorkloads) args.add("--insecure-workloads");
                if (listen != null) args.addAll(List.of("--address", listen));
                if (node.equals(CONTROL_NODE)) args.addAll(List.of("--label", Node.CONTROL_PLANE, "--static", staticFile.toString()));
                ProcessSpec agent = launcher.agentSpec(node, args, Map.of());
                agents.add(ServiceProcess.supervisor(agent, Backoff.DEFAULT, clock, agentLog(agent.name())));
            }
        }

        System.out.println("Lattice is starting: Kafka at " + bootstrap + ", " + PlatformServices.ALL.size()
                + " services on node " + CONTROL_NODE + ", " + nodes + " node(s) with the " + runtime + " runtime, logs in " + dir.resolve("logs"));
        boolean up = awaitHealthy(bus, Duration.ofSeconds(readyTimeout)) && awaitNodes(bus, nodes, Duration.ofSeconds(readyTimeout));
        double seconds = (System.nanoTime() - t0) / 1e9;
        String host = listen != null ? hostForUrl(listen) : "localhost";
        if (up) {
            System.out.printf("Lattice is UP in %.1f s: http://%s:%d  (MQTT on port %d)%n", seconds, host, port, mqttPort);
            System.out.println("To make another host a node, run there: ./lattice agent --server " + host + ":" + port + " --token "
                    + joinToken + " --node NAME --address HOST_ADDRESS" + (listen == null ? "  (start with --listen ADDRESS so that other hosts reach this one)" : ""));
        }
        else System.out.printf("Lattice is not healthy after %.0f s; see http://localhost:%d/api/v1/health and %s%n",
                seconds, port, dir.resolve("logs"));
        if (up && adminCreatedSince(bus, startedAt)) System.out.println(admin.firstStartMessage());
        if (up) launcher.makeArchives();
        stopped.await();
        return 0;
    }

    /**
     * The platform services are static workloads of the control-plane node's agent: the deployer
     * cannot place itself, so they are declared to that agent directly (as Kubernetes' static
     * pods are to a kubelet), and the agent supervises them like any workload. The file holds
     * secrets (Kafka's, the first admin password), so only this user may read it.
     */
    private Path writeStaticServices(Path dir, Launcher launcher, AdminPassword admin, String joinTokenSha256,
                                     Map<String, ServiceIdentities.Login> identities) throws IOException {
        List<AgentConfig.StaticWorkload> services = new ArrayList<>();
        for (String service : PlatformServices.ALL) {
            Map<String, String> env = new HashMap<>();
            ServiceIdentities.Login identity = identities.get(ServiceIdentities.username(service));
            if (identity != null) {
                env.put(KafkaSecurity.USERNAME_ENV, identity.username());
                env.put(KafkaSecurity.PASSWORD_ENV, identity.password());
                env.put(KafkaSecurity.MECHANISM_ENV, identity.mechanism());
                env.put(KafkaSecurity.PROPERTIES_ENV, "");
            }
            String instance = BusConfig.instanceName(service, CONTROL_NODE);
            env.put("LATTICE_INSTANCE", instance);
            env.put("LATTICE_NODE", CONTROL_NODE);
            if (service.equals(PlatformServices.AUTH)) env.put("LATTICE_ADMIN_PASSWORD", admin.value());
            if (service.equals(PlatformServices.GATEWAY)) {
                env.put("LATTICE_GATEWAY_PORT", Integer.toString(port));
                if (listen != null) env.put("LATTICE_GATEWAY_HOST", listen);
            }
            if (service.equals(PlatformServices.NODES)) env.put("LATTICE_JOIN_TOKEN_SHA256", joinTokenSha256);
            // Where apps call the platform: this host's gateway, by the address other hosts reach it at.
            if (service.equals(PlatformServices.APPS)) env.put("LATTICE_PUBLIC_URL", System.getenv().getOrDefault("LATTICE_PUBLIC_URL",
                    "http://" + (listen != null ? hostForUrl(listen) : "localhost") + ":" + port));
            // Every service's /metrics: where Prometheus on another host reaches it.
            if (listen != null) env.put("LATTICE_METRICS_HOST", listen);
            // Internal: found by its advertised endpoint on Kafka, so it binds whatever port the kernel
            // gives it (LATTICE_REPOSITORY_PORT unset: 0). A port picked here and passed on could be
            // taken by another process's outgoing connection before the repository bound it, and
            // then at every restart too: it once kept a platform DOWN (MultiHostIT, PlatformIT).
            if (service.equals(PlatformServices.REPOSITORY) && listen != null) env.put("LATTICE_REPOSITORY_HOST", listen);
            if (service.equals(PlatformServices.SENSORS)) {
                if (listen != null) env.put("LATTICE_MQTT_HOST", listen);
                env.put("LATTICE_MQTT_PORT", Integer.toString(mqttPort));
                env.put("LATTICE_MQTT_DIR", dir.resolve("mqtt").toString());
            }
            ProcessSpec spec = launcher.spec(service, env);
            Workload w = new Workload(service, service, Deployment.SERVICE, 0, CONTROL_NODE,
                    new WorkloadSpec(spec.command(), null, spec.env(), Resources.NONE, null), java.time.Instant.EPOCH);
            services.add(new AgentConfig.StaticWorkload(w, spec.logFile(), instance, List.of(dir)));
        }
        Path file = dir.resolve("nodes").resolve(CONTROL_NODE + "-services.json");
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        Files.write(tmp, Json.bytes(services));
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return file;
    }

    /** What up says on its console about an agent it keeps running. */
    private static Supervisor.Listener<Supervised.Run> agentLog(String name) {
        return new Supervisor.Listener<>() {
            @Override
            public void started(Supervised.Run run, int restarts, boolean adopted) {
                if (restarts > 0) System.out.println(name + " restarted as pid " + run.pid() + " (restart " + restarts + ")");
            }

            @Override
            public void exited(Supervised.Run run, int exitCode, Duration ran, int restarts, Duration restartIn) {
                System.out.println(name + " (pid " + run.pid() + ") exited with code " + exitCode + "; restarting in "
                        + restartIn.toMillis() + " ms");
            }

            @Override
            public void failedToStart(String reason, Duration retryIn) {
                System.out.println(name + " cannot start: " + reason + "; retrying in " + retryIn.toMillis() + " ms");
            }
        };
    }

    private static boolean awaitNodes(Bus bus, int count, Duration timeout) {
        try (StateView<Node> nodes = bus.view(Node.KIND, Node.class)) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                long ready = nodes.list().stream().filter(v -> v.value().status() == NodeStatus.READY).count();
                if (ready >= count) return true;
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    private static boolean awaitHealthy(Bus bus, Duration timeout) {
        StateView<HealthReport> health = bus.view(HealthReport.KIND, HealthReport.class);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            var report = health.get(HealthReport.NAME).map(Versioned::value);
            if (report.isPresent() && report.get().status().equals(HealthReport.UP)
                    && report.get().ts().isAfter(bus.clock().instant().minusSeconds(2))) {
                health.close();
                return true;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        health.close();
        return false;
    }

    /** Whether auth created the admin during this start: then, and only then, the password is news. */
    private static boolean adminCreatedSince(Bus bus, java.time.Instant since) {
        try (StateView<dev.lattice.auth.users.User> users = bus.view(dev.lattice.auth.users.User.KIND, dev.lattice.auth.users.User.class)) {
            users.awaitCaughtUp(Duration.ofSeconds(30));
            return users.get("admin").map(v -> v.version() == 1 && !v.updatedAt().isBefore(since)).orElse(false);
        }
    }

    private static String hostForUrl(String address) {
        return address.contains(":") && !address.startsWith("[") ? "[" + address + "]" : address;
    }

    /** Whether {@code address} is one of this host's own (something here can listen on it). */
    private static boolean localAddress(String address) {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(java.net.InetAddress.getByName(address), 0));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private boolean portFree(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(listen != null ? new InetSocketAddress(listen, port) : new InetSocketAddress(port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
