package dev.lattice.bus.broker;

import dev.lattice.bus.KafkaSecurity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A one-node Kafka cluster in this JVM: KRaft, combined broker and controller, log in a directory
 * that survives restarts (formatted once, reused after).
 *
 * <p>Ports are chosen free at each start, so two platforms on one machine never collide; clients
 * learn the address from {@link #bootstrapServers()}. The clients' listener is on a given address
 * (localhost unless the platform spans hosts), the controller's on localhost. Both require SASL:
 * PLAIN as user {@value #USERNAME}, the platform itself and the one super user, whose password is
 * made on first start and kept in {@code kafka-secret} beside the log directory (mode 600; clients
 * get it from {@link #clientSecurity()}); and on the clients' listener SCRAM-SHA-256 for users the
 * platform makes (a joined node's agent: {@link dev.lattice.bus.identity.KafkaIdentities}), whom
 * KRaft's {@code StandardAuthorizer} holds to their ACLs. Not thread-safe: start and stop from one thread.
 */
public final class EmbeddedKafka implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final int NODE_ID = 1;
    /** The one Kafka user: the platform itself. */
    public static final String USERNAME = "lattice";

    private final Path logDir;
    private final String host;
    private final int brokerPort;
    private final int controllerPort;
    private final String password;
    private final KafkaRaftServer server;

    private EmbeddedKafka(Path logDir, String host, int brokerPort, int controllerPort, String password, KafkaRaftServer server) {
        this.logDir = logDir;
        this.host = host;
        this.brokerPort = brokerPort;
        this.controllerPort = controllerPort;
        this.password = password;
        this.server = server;
    }

    /** Formats {@code logDir} if it is new, starts the broker and returns once it accepts clients. */
    public static EmbeddedKafka start(Path logDir) {
        return start(logDir, 0);
    }

    /** As {@link #start(Path)}, on a given client port (0 picks a free one). */
    public static EmbeddedKafka start(Path logDir, int port) {
        return start(logDir, "localhost", port, true);
    }

    /** As {@link #start(Path, int)}, the clients' listener on {@code host} (an address other hosts reach). */
    public static EmbeddedKafka start(Path logDir, String host, int port) {
        return start(logDir, host, port, true, Map.of());
    }

    /**
     * As {@link #start(Path, String, int)}, and on the clients' listener SASL/PLAIN users besides the
     * platform, by name and password (the platform's services: their ACLs, not this, say what each
     * may do). PLAIN, not SCRAM: a SCRAM login costs the client 20-60 ms of hashing on a cold JVM, and
     * each service makes ten or so connections as it starts. Known only to this process's memory.
     */
    public static EmbeddedKafka start(Path logDir, String host, int port, Map<String, String> plainUsers) {
        return start(logDir, host, port, true, plainUsers);
    }

    static EmbeddedKafka start(Path logDir, String host, int port, boolean sasl) {
        return start(logDir, host, port, sasl, Map.of());
    }

    /** Without {@code sasl}, open to anyone (only to measure what SASL costs). */
    static EmbeddedKafka start(Path logDir, String host, int port, boolean sasl, Map<String, String> plainUsers) {
        try {
            Files.createDirectories(logDir);
            String password = sasl ? BrokerSecret.loadOrCreate(logDir.toAbsolutePath().resolveSibling("kafka-secret")) : null;
            int brokerPort = port == 0 ? freePort(host) : port;
            int controllerPort = freePort("localhost");
            Map<String, Object> props = config(logDir, host, brokerPort, controllerPort, password, plainUsers);
            KafkaConfig config = new KafkaConfig(props, false);
            if (!Files.exists(logDir.resolve("meta.properties"))) format(logDir);
            long started = System.nanoTime();
            KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
            server.startup();
            log.info("Kafka started on {}:{} ({}) in {} ms (log {})", host, brokerPort, sasl ? "SASL/PLAIN and SCRAM-SHA-256" : "no authentication",
                    (System.nanoTime() - started) / 1_000_000, logDir);
            return new EmbeddedKafka(logDir, host, brokerPort, controllerPort, password, server);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start Kafka in " + logDir, e);
        }
    }

    public String bootstrapServers() {
        return hostPort(host, brokerPort);
    }

    /** Where the controller listens: admin clients may talk to it directly, with the same credentials. */
    String controllerServers() {
        return "localhost:" + controllerPort;
    }

    public Path logDir() {
        return logDir;
    }

    /** The user clients authenticate as. */
    public String username() {
        return USERNAME;
    }

    /** That user's password: hand it only to the platform's own processes. */
    public String password() {
        return password;
    }

    /** The client settings that reach this broker. */
    public KafkaSecurity clientSecurity() {
        return password == null ? KafkaSecurity.NONE : KafkaSecurity.plain(USERNAME, password);
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
        log.info("Kafka stopped");
    }

    private static String hostPort(String host, int port) {
        return (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
    }

    private static Map<String, Object> config(Path logDir, String host, int brokerPort, int controllerPort, String password,
                                              Map<String, String> plainUsers) {
        Map<String, Object> p = new HashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", Integer.toString(NODE_ID));
        p.put("controller.quorum.voters", NODE_ID + "@localhost:" + controllerPort);
        p.put("listeners", "BROKER://" + hostPort(host, brokerPort) + ",CONTROLLER://localhost:" + controllerPort);
        p.put("advertised.listeners", "BROKER://" + hostPort(host, brokerPort));
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "BROKER");
        if (password == null) {
            p.put("listener.security.protocol.map", "BROKER:PLAINTEXT,CONTROLLER:PLAINTEXT");
        } else {
            // Every listener, the controller's too, and the node's own calls between them: SASL/PLAIN as the
            // platform; on the clients' listener SCRAM too, for the users the platform makes (joined agents).
            p.put("listener.security.protocol.map", "BROKER:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT");
            p.put("sasl.enabled.mechanisms", "PLAIN");
            p.put("listener.name.broker.sasl.enabled.mechanisms", "PLAIN,SCRAM-SHA-256");
            p.put("listener.name.broker.scram-sha-256.sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;");
            p.put("sasl.mechanism.inter.broker.protocol", "PLAIN");
            p.put("sasl.mechanism.controller.protocol", "PLAIN");
            String jaas = "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + USERNAME
                    + "\" password=\"" + password + "\" user_" + USERNAME + "=\"" + password + "\";";
            StringBuilder users = new StringBuilder();
            plainUsers.forEach((user, secret) -> {
                if (!user.matches("[A-Za-z0-9._-]+") || !secret.matches("[A-Za-z0-9_-]+")) {
                    throw new IllegalArgumentException("a PLAIN user's name and password take letters, digits, '.', '_' and '-' only: " + user);
                }
                users.append(" user_").append(user).append("=\"").append(secret).append('"');
            });
            p.put("listener.name.broker.plain.sasl.jaas.config", jaas.substring(0, jaas.length() - 1) + users + ";");
            p.put("listener.name.controller.plain.sasl.jaas.config", jaas);
            // The platform may do anything; every other user only what its ACLs allow (none: nothing).
            p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
            p.put("super.users", "User:" + USERNAME);
        }
        p.put("log.dirs", logDir.toString());
        p.put("metadata.log.dir", logDir.toString());
        // One broker: every internal topic has one replica.
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "4");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "4");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("auto.create.topics.enable", "false");
        p.put("num.partitions", "1");
        // Small and quick: a few MiB of control-plane data, cleaned often.
        p.put("log.cleaner.dedupe.buffer.size", Integer.toString(8 * 1024 * 1024));
        p.put("log.cleaner.threads", "1");
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "4");
        p.put("background.threads", "2");
        p.put("log.segment.bytes", Integer.toString(64 * 1024 * 1024));
        p.put("log.flush.interval.messages", Long.toString(Long.MAX_VALUE));
        // The one controller appends a no-op record to the metadata log every 500 ms by default (to
        // show a quorum it is alive); alone, every 5 s is enough, and the broker's raft thread sleeps.
        p.put("metadata.max.idle.interval.ms", "5000");
        return p;
    }

    private static void format(Path logDir) {
        try {
            new Formatter()
                    .setClusterId(Uuid.randomUuid().toString())
                    .setNodeId(NODE_ID)
                    .setControllerListenerName("CONTROLLER")
                    .setMetadataLogDirectory(logDir.toString())
                    .setDirectories(Set.of(logDir.toString()))
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .setSupportedFeatures(List.copyOf(Feature.PRODUCTION_FEATURES))
                    .setUnstableFeatureVersionsEnabled(false)
                    .setPrintStream(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()))
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException("cannot format the Kafka log directory " + logDir + ": " + e.getMessage(), e);
        }
    }

    private static int freePort(String host) throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(host, 0));
            return s.getLocalPort();
        }
    }
}
