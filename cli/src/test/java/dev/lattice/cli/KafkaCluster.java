package dev.lattice.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A real Apache Kafka cluster of three combined broker-controllers (KRaft), Kafka's own server
 * ({@code kafka.Kafka}) from the jars Lattice ships, one per simulated host. Set up as an
 * operator would for Lattice: SASL/PLAIN for the platform's user {@value #USER}, its one super
 * user, SCRAM-SHA-256 enabled for the users the platform makes (joined agents), and KRaft's
 * {@code StandardAuthorizer}. Its own default replication is 1, so the test also shows that
 * Lattice asks for three replicas itself. A broker can be killed and started again.
 */
final class KafkaCluster implements AutoCloseable {
    static final String USER = "lattice";
    static final int PORT = 9092;
    private static final int CONTROLLER_PORT = 9093;

    private final Hosts hosts;
    private final List<Integer> hostIds;
    private final Path dir;
    private final String password = UUID.randomUUID().toString();
    private final Process[] brokers;

    private KafkaCluster(Hosts hosts, List<Integer> hostIds, Path dir) {
        this.hosts = hosts;
        this.hostIds = hostIds;
        this.dir = dir;
        this.brokers = new Process[hostIds.size()];
    }

    /** Formats and starts one broker on each of {@code hostIds}; returns at once (see {@link #bootstrap}). */
    static KafkaCluster start(Hosts hosts, List<Integer> hostIds, Path dir) throws IOException, InterruptedException {
        KafkaCluster c = new KafkaCluster(hosts, hostIds, dir);
        String clusterId = org.apache.kafka.common.Uuid.randomUuid().toString();
        for (int i = 0; i < hostIds.size(); i++) {
            Path props = c.writeConfig(i);
            List<String> format = new ArrayList<>(c.java());
            format.addAll(List.of("kafka.tools.StorageTool", "format", "--cluster-id", clusterId, "--config", props.toString()));
            Process f = new ProcessBuilder(format).redirectErrorStream(true).redirectOutput(c.dir.resolve("format-" + (i + 1) + ".log").toFile()).start();
            if (!f.waitFor(60, TimeUnit.SECONDS) || f.exitValue() != 0) {
                throw new IOException("kafka-storage format failed: " + Files.readString(c.dir.resolve("format-" + (i + 1) + ".log")));
            }
        }
        for (int i = 0; i < hostIds.size(); i++) c.startBroker(i);
        return c;
    }

    String bootstrap() {
        List<String> out = new ArrayList<>();
        for (int h : hostIds) out.add(hosts.address(h) + ":" + PORT);
        return String.join(",", out);
    }

    String password() {
        return password;
    }

    /** {@code kill -9} of broker {@code i} (0-based). */
    void kill(int i) throws InterruptedException {
        brokers[i].destroyForcibly();
        brokers[i].waitFor(10, TimeUnit.SECONDS);
    }

    void startBroker(int i) throws IOException {
        List<String> cmd = new ArrayList<>(hosts.prefix(hostIds.get(i)));
        cmd.addAll(java());
        cmd.addAll(List.of("kafka.Kafka", dir.resolve("broker-" + (i + 1) + ".properties").toString()));
        brokers[i] = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("broker-" + (i + 1) + ".log").toFile())).start();
    }

    private List<String> java() {
        String dist = System.getProperty("lattice.dist");
        return List.of(ProcessHandle.current().info().command().orElseThrow(), "-Xmx256m", "-XX:+UseSerialGC", "-cp", dist + "/lib/*");
    }

    private Path writeConfig(int i) throws IOException {
        Files.createDirectories(dir);
        List<String> voters = new ArrayList<>();
        for (int j = 0; j < hostIds.size(); j++) voters.add((j + 1) + "@" + hosts.address(hostIds.get(j)) + ":" + CONTROLLER_PORT);
        String addr = hosts.address(hostIds.get(i));
        String jaas = "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + USER + "\" password=\"" + password
                + "\" user_" + USER + "=\"" + password + "\";";
        String props = String.join("\n",
                "process.roles=broker,controller",
                "node.id=" + (i + 1),
                "controller.quorum.voters=" + String.join(",", voters),
                "listeners=BROKER://" + addr + ":" + PORT + ",CONTROLLER://" + addr + ":" + CONTROLLER_PORT,
                "advertised.listeners=BROKER://" + addr + ":" + PORT,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=BROKER",
                "listener.security.protocol.map=BROKER:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT",
                "sasl.enabled.mechanisms=PLAIN",
                "listener.name.broker.sasl.enabled.mechanisms=PLAIN,SCRAM-SHA-256",
                "sasl.mechanism.inter.broker.protocol=PLAIN",
                "sasl.mechanism.controller.protocol=PLAIN",
                "listener.name.broker.plain.sasl.jaas.config=" + jaas,
                "listener.name.controller.plain.sasl.jaas.config=" + jaas,
                "listener.name.broker.scram-sha-256.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;",
                "authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer",
                "super.users=User:" + USER,
                "log.dirs=" + dir.resolve("data-" + (i + 1)),
                "offsets.topic.replication.factor=3",
                "transaction.state.log.replication.factor=3",
                "transaction.state.log.min.isr=2",
                "auto.create.topics.enable=false",
                "group.initial.rebalance.delay.ms=0",
                "num.network.threads=2",
                "num.io.threads=2",
                "log.cleaner.dedupe.buffer.size=8388608") + "\n";
        Path file = dir.resolve("broker-" + (i + 1) + ".properties");
        Files.writeString(file, props);
        return file;
    }

    @Override
    public void close() {
        for (Process p : brokers) if (p != null) p.destroyForcibly();
    }
}
