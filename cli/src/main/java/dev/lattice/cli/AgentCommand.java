package dev.lattice.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.lattice.agent.Agent;
import dev.lattice.agent.AgentConfig;
import dev.lattice.agent.supervision.Backoff;
import dev.lattice.agent.runtime.WorkloadRuntime;
import dev.lattice.agent.runtime.process.ProcessRuntime;
import dev.lattice.agent.runtime.sandbox.SandboxSupport;
import dev.lattice.bus.Bus;
import dev.lattice.bus.BusConfig;
import dev.lattice.bus.KafkaCheck;
import dev.lattice.bus.KafkaSecurity;
import dev.lattice.core.Env;
import dev.lattice.core.Json;
import dev.lattice.core.Names;
import dev.lattice.workloads.AgentCommands;
import dev.lattice.workloads.Node;
import dev.lattice.workloads.NodeCommands;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lattice agent --node NAME}: joins this machine to a platform as a node and runs the
 * workloads the deployer assigns to it, until stopped. {@code lattice up} starts one per node;
 * on another host, run the command {@code up} prints: {@code --server} and {@code --token} trade
 * the join token for a Kafka identity of this node's own ({@link NodeIdentity}), kept for restarts.
 * SIGTERM stops the node's workloads; after a {@code kill -9}, the next agent of the same node
 * and data folder adopts the workloads still running.
 */
@Command(name = "agent", description = "Run a node agent: this machine becomes node NAME and runs the workloads placed on it.")
final class AgentCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(AgentCommand.class);

    @Option(names = "--node", required = true, description = "The node's name, e.g. n2 (unique on the platform)")
    String node;

    @Option(names = "--kafka", description = "Kafka bootstrap servers (default: $LATTICE_KAFKA)")
    String kafka;

    @Option(names = "--runtime", defaultValue = "process", description = "process or docker (default: ${DEFAULT-VALUE})")
    String runtime;

    @Option(names = "--data", description = "This node's folder (default: ./lattice-data/nodes/NAME)")
    Path data;

    @Option(names = "--label", description = "A label of this node (repeatable), e.g. control-plane")
    List<String> labels = new ArrayList<>();

    @Option(names = "--cpus", description = "Cores offered to workloads (default: this machine's)")
    Integer cpus;

    @Option(names = "--memory-mb", description = "Memory offered to workloads in MiB (default: this machine's)")
    Long memoryMb;

    @Option(names = {"--address", "--advertise-host"}, description = "Address by which other hosts reach this node's workloads (default: $LATTICE_ADVERTISE_HOST or 127.0.0.1)")
    String advertiseHost;

    @Option(names = "--server", description = "The control plane's gateway, HOST:PORT or URL: join there with --token")
    String server;

    @Option(names = "--token", description = "A join token (default: $LATTICE_JOIN_TOKEN); needed once, the identity it gets is kept")
    String token;

    @Option(names = "--hide", description = "A folder user workloads must not see (repeatable); lattice up gives its data folder")
    List<Path> hide = new ArrayList<>();

    @Option(names = "--insecure-workloads", description = "Run user workloads UNCONFINED where this host cannot sandbox them")
    boolean insecureWorkloads;

    @Option(names = "--static", description = "A JSON file of workloads this node always runs (written by lattice up for the platform services)")
    Path staticFile;

    @Override
    public Integer call() throws Exception {
        Map<String, String> env = System.getenv();
        Duration hungAfter;
        try {
            Names.requireName("--node", node);
            // Seconds a platform service here may be alive but silent before it is killed and restarted.
            hungAfter = Env.of(env).seconds("LATTICE_HUNG_AFTER", AgentConfig.HUNG_AFTER.toSeconds());
        } catch (RuntimeException e) {
            System.err.println("lattice agent: " + e.getMessage());
            return 2;
        }
        String bootstrap = kafka != null ? kafka : env.get("LATTICE_KAFKA");
        if (bootstrap == null && server == null) {
            System.err.println("lattice agent: no platform given (--server HOST:PORT --token TOKEN, or --kafka HOST:PORT)");
            return 2;
        }
        ParentWatch.start(Optional.ofNullable(env.get("LATTICE_SUPERVISOR_PID")).map(Long::parseLong));
        WorkloadRuntime rt;
        try {
            rt = switch (runtime) {
                case "process" -> new ProcessRuntime(SandboxSupport.detect(), readOnlyForWorkloads());
                case "docker" -> Runtimes.docker();
                default -> null;
            };
        } catch (IllegalStateException e) {
            System.err.println("lattice agent: " + e.getMessage());
            return 1;
        }
        if (rt == null) {
            System.err.println("lattice agent: --runtime must be process or docker, not " + runtime);
            return 2;
        }
        Path dir = (data != null ? data : Path.of("lattice-data", "nodes", node)).toAbsolutePath().normalize();
        Files.createDirectories(dir);
        List<AgentConfig.StaticWorkload> statics = staticFile == null ? List.of()
                : Json.MAPPER.readValue(Files.readAllBytes(staticFile), new TypeReference<List<AgentConfig.StaticWorkload>>() {});
        // A remote Docker server offers its own cores and memory, not this machine's.
        var engine = Runtimes.remoteCapacity(rt);
        engine.ifPresent(c -> log.info("node {}: Docker {} on another machine, {} cpus, {} MiB", node, c.serverVersion(), c.cpus(), c.memoryMb()));
        AgentConfig config = new AgentConfig(node, rt.name(), labels,
                cpus != null ? cpus : engine.map(c -> c.cpus()).orElse(Runtime.getRuntime().availableProcessors()),
                memoryMb != null ? memoryMb : engine.map(c -> c.memoryMb()).orElse(AgentConfig.machineMemoryMb()), dir, statics, Duration.ofSeconds(10),
                advertiseHost != null ? advertiseHost : env.get("LATTICE_ADVERTISE_HOST"),
                hide.stream().map(p -> p.toAbsolutePath().normalize()).toList(), insecureWorkloads,
                hungAfter);
        KafkaSecurity security;
        if (server != null) {
            NodeCommands.Joined joined;
            try {
                joined = identity(dir, env);
            } catch (NodeIdentity.JoinFailed e) {
                System.err.println("lattice agent: " + e.getMessage());
                return 1;
            }
            if (joined == null) return 2;
            bootstrap = kafka != null ? kafka : joined.kafka();
            security = NodeIdentity.security(joined);
        } else {
            security = KafkaSecurity.fromEnv(env);
        }
        String service = AgentCommands.service(node);
        Bus bus = Bus.connect(new BusConfig(bootstrap, service, null, node, security), Clock.systemUTC());
        // The agent's /metrics, where Prometheus reaches this node (the services use LATTICE_METRICS_HOST).
        bus.metrics(env.getOrDefault("LATTICE_METRICS_HOST", config.advertiseHost()));
        // A control-plane node also runs the agents of the remote Docker servers made nodes (POST /api/v1/nodes).
        Agent agent = Agent.start(config, bus, rt, Backoff.DEFAULT,
                labels.contains(Node.CONTROL_PLANE) ? Launcher::hostedAgentCommand : null);
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("agent of {} stopping its workloads", node);
            agent.close(true);
            done.countDown();
        }, "agent-stop"));
        done.await();
        return 0;
    }

    /**
     * This node's Kafka identity: the one kept in its folder while Kafka takes it, else a new one for
     * the join token. Null (after saying why) when there is neither.
     */
    private NodeCommands.Joined identity(Path dir, Map<String, String> env) throws NodeIdentity.JoinFailed, java.io.IOException {
        var saved = NodeIdentity.saved(dir, node);
        if (saved.isPresent() && KafkaCheck.reachable(kafka != null ? kafka : saved.get().kafka(), NodeIdentity.security(saved.get()),
                Duration.ofSeconds(15))) {
            return saved.get();
        }
        String t = token != null ? token : env.get("LATTICE_JOIN_TOKEN");
        if (t == null || t.isBlank()) {
            System.err.println("lattice agent: --server needs a join token (--token or LATTICE_JOIN_TOKEN)"
                    + (saved.isPresent() ? ": Kafka refused the identity kept in " + dir.resolve(NodeIdentity.FILE) : ""));
            return null;
        }
        NodeCommands.Joined joined = NodeIdentity.join(server, t.strip(), node, dir);
        log.info("node {} joined the platform at {}: Kafka {} as {}", node, server, joined.kafka(), joined.username());
        return joined;
    }

    /** What a confined Java workload must read wherever it lies: this JDK and Lattice's jars. */
    private static List<Path> readOnlyForWorkloads() {
        List<Path> paths = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"))));
        String lib = System.getProperty("lattice.lib");
        if (lib != null) paths.add(Path.of(lib));
        else for (String entry : System.getProperty("java.class.path", "").split(java.io.File.pathSeparator)) {
            if (!entry.isBlank()) paths.add(Path.of(entry).toAbsolutePath().getParent());
        }
        return paths.stream().distinct().toList();
    }
}
