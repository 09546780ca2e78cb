package dev.lattice.mqtt;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Measures the broker: start time, then publish→listener latency over {@value #MESSAGES} QoS 1
 * messages from one MQTT 3.1.1 client that waits for each PUBACK. Run it in a fresh JVM for a
 * cold start figure (see the module README); {@code MqttLatencyIT} runs it in the test JVM.
 */
public final class MqttMeasure {
    static final int MESSAGES = 2000;

    /** What one run measured. */
    record Result(long startMs, long[] sortedLatencyNanos, double messagesPerSecond) {
        double percentileMs(double p) {
            return sortedLatencyNanos[Math.min(sortedLatencyNanos.length - 1, (int) (sortedLatencyNanos.length * p))] / 1e6;
        }

        String summary() {
            return String.format("MQTT broker (HiveMQ CE embedded): start %d ms; publish->listener over %d QoS 1 messages: "
                            + "p50 %.3f ms, p99 %.3f ms, max %.3f ms; %.0f msg/s from one synchronous client",
                    startMs, sortedLatencyNanos.length, percentileMs(0.50), percentileMs(0.99), percentileMs(1.0), messagesPerSecond);
        }
    }

    private MqttMeasure() {}

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("lattice-mqtt-measure");
        System.out.println(run(dir).summary());
        System.out.printf("RSS %d MiB, %d threads%n", rssMiB(), Thread.activeCount());
    }

    static Result run(Path dir) throws Exception {
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        PublishListener listener = (username, topic, payload) ->
                latencies.add(System.nanoTime() - ByteBuffer.wrap(payload).getLong());
        long start = System.nanoTime();
        try (MqttBroker broker = MqttBroker.start(new MqttSettings("127.0.0.1", 0, dir), (c, u, p) -> true, listener)) {
            long startMs = (System.nanoTime() - start) / 1_000_000;
            Mqtt3BlockingClient client = TestDevices.client3(broker.port());
            client.connectWith().simpleAuth().username("bench").password(TestDevices.bytes("t")).applySimpleAuth().send();
            publish(client, 500); // warm-up
            latencies.clear();
            long sent = System.nanoTime();
            publish(client, MESSAGES);
            double seconds = (System.nanoTime() - sent) / 1e9;
            client.disconnect();
            long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
            return new Result(startMs, sorted, MESSAGES / seconds);
        }
    }

    private static void publish(Mqtt3BlockingClient client, int count) {
        for (int i = 0; i < count; i++) {
            byte[] payload = ByteBuffer.allocate(32).putLong(System.nanoTime()).put(TestDevices.bytes("{\"c\":21.5}")).array();
            client.publishWith().topic("sensors/bench").qos(MqttQos.AT_LEAST_ONCE).payload(payload).send();
        }
    }

    private static long rssMiB() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
        }
        return -1;
    }
}
