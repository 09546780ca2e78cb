package dev.lattice.bench;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Baseline for MQTT ingestion: Debian's {@code mosquitto} on a port of its own, QoS 1 publishes, with one
 * (QoS 0) subscriber to {@code sensors/#} counting what the broker delivers. The same publishers as against
 * Lattice, so the ratio says what Lattice's checking and writing to Kafka cost over a broker that only
 * passes messages on. Nothing persisted; anonymous (Lattice authenticates each device at connect, not
 * per message, so this leaves out nothing per reading).
 */
final class Mosquitto implements AutoCloseable {
    static final Path BINARY = Path.of("/usr/sbin/mosquitto");

    final int port;
    private final Process process;
    private final Path dir;
    private final Mqtt5AsyncClient subscriber;
    private final AtomicLong delivered = new AtomicLong();
    private final long[] latenciesMicros = new long[1 << 20];
    private volatile int recorded;
    private volatile boolean recording;

    private Mosquitto(int port, Process process, Path dir) {
        this.port = port;
        this.process = process;
        this.dir = dir;
        this.subscriber = MqttClient.builder().useMqttVersion5().identifier("bench-counter")
                .serverHost("127.0.0.1").serverPort(port).buildAsync();
        subscriber.connectWith().cleanStart(true).send().join();
        // QoS 0 to the subscriber (the publishers' side stays QoS 1): with QoS 1 out, at ~11,000/s
        // Mosquitto 2.0.11 reused packet identifiers the client had not acknowledged yet (MQTT 5 and
        // 3.1.1 alike, whatever max_inflight_messages or receive maximum said), and the client dropped
        // the connection. Lattice's consumer side is Kafka, so this leaves M what the broker takes in.
        subscriber.subscribeWith().topicFilter("sensors/#").qos(MqttQos.AT_MOST_ONCE)
                .callback(p -> {
                    delivered.incrementAndGet();
                    if (recording && recorded < latenciesMicros.length) {
                        String ts = Tally.tsOf(p.getPayloadAsBytes());
                        if (ts != null) latenciesMicros[recorded++] = Tally.micros(java.time.Instant.now()) - Tally.micros(java.time.Instant.parse(ts));
                    }
                }).send().join();
    }

    static boolean installed() {
        return Files.isExecutable(BINARY);
    }

    static Mosquitto start() throws IOException, InterruptedException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path dir = Files.createTempDirectory("bench-mosquitto");
        Path conf = dir.resolve("mosquitto.conf");
        // One listener on loopback; in-flight and queue limits high enough that the broker, not its
        // limits, sets the rate (the publishers keep 64 messages in flight each, as against Lattice).
        Files.writeString(conf, String.join("\n",
                "listener " + port + " 127.0.0.1", "allow_anonymous true", "persistence false",
                "max_inflight_messages 0", "max_queued_messages 1000000", "log_dest none", ""));
        Process p = new ProcessBuilder(BINARY.toString(), "-c", conf.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("mosquitto.log").toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                break;
            } catch (IOException e) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    p.destroyForcibly();
                    throw new IOException("mosquitto did not start: see " + dir.resolve("mosquitto.log"));
                }
                Thread.sleep(50);
            }
        }
        return new Mosquitto(port, p, dir);
    }

    /** Messages per second delivered to the subscriber over {@code window}, after {@code warmUp}. */
    double rate(Duration warmUp, Duration window) throws InterruptedException {
        return Tally.rate(delivered::get, warmUp, window);
    }

    /** Latency from each message's {@code ts} to its delivery here, {p50, p99, max} in ms, over {@code window} after 2 s. */
    double[] latency(Duration window) throws InterruptedException {
        Thread.sleep(2000);
        recorded = 0;
        recording = true;
        Thread.sleep(window.toMillis());
        recording = false;
        return Tally.percentiles(java.util.Arrays.copyOf(latenciesMicros, recorded));
    }

    @Override
    public void close() throws Exception {
        subscriber.disconnect().join();
        process.destroy();
        process.waitFor();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
