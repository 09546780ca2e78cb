package dev.lattice.agent;

import dev.lattice.bus.state.StateView;
import dev.lattice.bus.state.Versioned;
import dev.lattice.workloads.Deployment;
import dev.lattice.workloads.DockerNode;
import dev.lattice.workloads.Resources;
import dev.lattice.workloads.Workload;
import dev.lattice.workloads.WorkloadSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The agents a control-plane node runs for remote Docker servers (kind {@code docker-node} with
 * {@code agentOn} this node): nothing of Lattice is installed on such a server, so its agent runs
 * here, against its engine's API over mutual TLS, as one more workload of this node, supervised
 * (restarted with the platform services' back-off) and adopted after a restart of this agent like
 * any. Each runs with its node's own Kafka identity, not the platform's. Its engine's TLS files and
 * Kafka settings are written into its folder (mode 600) before each start.
 */
final class HostedAgents {
    static final String PREFIX = "agent-";
    static final String TLS_FOLDER = "tls";

    private final AgentConfig config;
    private final StateView<DockerNode> dockerNodes;
    /** The command line of {@code lattice agent --node NAME ARGS}: JVM, jars and all. */
    private final BiFunction<String, List<String>, List<String>> command;
    private final String bootstrap;

    HostedAgents(AgentConfig config, StateView<DockerNode> dockerNodes, BiFunction<String, List<String>, List<String>> command,
                 String bootstrap) {
        this.config = config;
        this.dockerNodes = dockerNodes;
        this.command = command;
        this.bootstrap = bootstrap;
    }

    /** The agents this node should run now, by workload id. */
    Map<String, Workload> desired() {
        Map<String, Workload> want = new HashMap<>();
        for (Versioned<DockerNode> v : dockerNodes.list()) {
            DockerNode d = v.value();
            if (!config.node().equals(d.agentOn())) continue;
            Workload w = workload(d);
            want.put(w.id(), w);
        }
        return want;
    }

    void awaitCaughtUp(java.time.Duration timeout) {
        dockerNodes.awaitCaughtUp(timeout);
    }

    /** Calls {@code wake} when a remote Docker server is added, changed or removed. */
    void onChange(Runnable wake) {
        dockerNodes.onChange(c -> wake.run());
    }

    boolean owns(String workloadId) {
        return workloadId.startsWith(PREFIX) && dockerNodes.get(workloadId.substring(PREFIX.length()))
                .map(v -> config.node().equals(v.value().agentOn())).orElse(false);
    }

    private Workload workload(DockerNode d) {
        String id = PREFIX + d.name();
        Path dir = config.workloadDir(id);
        List<String> args = new ArrayList<>(List.of("--runtime", "docker", "--kafka", bootstrap, "--data", dir.resolve("node").toString(),
                "--address", d.address()));
        for (String label : d.labels()) args.addAll(List.of("--label", label));
        Map<String, String> env = new HashMap<>();
        env.put("DOCKER_HOST", d.host());
        if (d.cert() != null) {
            env.put("DOCKER_TLS_VERIFY", "1");
            env.put("DOCKER_CERT_PATH", dir.resolve(TLS_FOLDER).toString());
        }
        if (d.kafkaUsername() != null) {
            env.put("LATTICE_KAFKA_USERNAME", d.kafkaUsername());
            env.put("LATTICE_KAFKA_PASSWORD", d.kafkaPassword());
            env.put("LATTICE_KAFKA_PROPERTIES", dir.resolve("kafka.properties").toString());
        }
        // Its /metrics is served here, on this node's address (its --address is the engine's, for workloads).
        env.put("LATTICE_METRICS_HOST", config.advertiseHost());
        // glibc's per-thread arenas, as for every platform JVM (see the launcher).
        env.put("MALLOC_ARENA_MAX", "2");
        return new Workload(id, id, Deployment.SERVICE, 0, config.node(),
                new WorkloadSpec(command.apply(d.name(), args), null, env, Resources.NONE, null), Instant.EPOCH);
    }

    /** Writes the engine's TLS files and the Kafka settings into the agent's folder, readable by this user only. */
    void prepare(String workloadId, Path dir) throws IOException {
        var d = dockerNodes.get(workloadId.substring(PREFIX.length())).map(Versioned::value).orElse(null);
        if (d == null) return;
        if (d.cert() != null) {
            Path tls = dir.resolve(TLS_FOLDER);
            Files.createDirectories(tls);
            Files.setPosixFilePermissions(tls, PosixFilePermissions.fromString("rwx------"));
            write(tls.resolve("ca.pem"), d.ca());
            write(tls.resolve("cert.pem"), d.cert());
            write(tls.resolve("key.pem"), d.key());
        }
        // The node's identity is a SCRAM user, as a joined host's is.
        if (d.kafkaUsername() != null) write(dir.resolve("kafka.properties"), "security.protocol=SASL_PLAINTEXT\nsasl.mechanism=SCRAM-SHA-256\n");
    }

    private static void write(Path file, String content) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, content == null ? "" : content, StandardCharsets.US_ASCII);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
