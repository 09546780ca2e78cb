package dev.lattice.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a topic from its end and counts what arrives, with the latency from the {@code "ts"} the
 * sender put into each value to the moment the record is consumed here (same machine, same clock).
 */
final class Tally implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread thread;
    private final AtomicLong count = new AtomicLong();
    private volatile boolean running = true;
    private volatile long[] latenciesMicros = new long[1 << 20];
    private volatile int recorded;
    private volatile boolean recording;

    Tally(Properties client, String topic) {
        Properties p = new Properties();
        p.putAll(client);
        p.put("key.deserializer", ByteArrayDeserializer.class.getName());
        p.put("value.deserializer", ByteArrayDeserializer.class.getName());
        p.put("fetch.max.wait.ms", "10");
        consumer = new KafkaConsumer<>(p);
        List<TopicPartition> parts = consumer.partitionsFor(topic).stream().map(i -> new TopicPartition(topic, i.partition())).toList();
        consumer.assign(parts);
        consumer.seekToEnd(parts);
        parts.forEach(consumer::position);
        thread = Thread.ofPlatform().daemon().name("tally-" + topic).start(this::run);
    }

    private void run() {
        while (running) {
            var records = consumer.poll(Duration.ofMillis(50));
            long nowMicros = micros(Instant.now());
            for (var r : records) {
                count.incrementAndGet();
                if (recording && recorded < latenciesMicros.length) {
                    String ts = tsOf(r.value());
                    if (ts != null) latenciesMicros[recorded++] = nowMicros - micros(Instant.parse(ts));
                }
            }
        }
        consumer.close(Duration.ofSeconds(2));
    }

    /** The value of the first {@code "ts":"..."} in a JSON value, found without parsing the whole record. */
    static String tsOf(byte[] value) {
        String s = new String(value, java.nio.charset.StandardCharsets.UTF_8);
        int i = s.indexOf("\"ts\":\"");
        if (i < 0) return null;
        int end = s.indexOf('"', i + 6);
        return end < 0 ? null : s.substring(i + 6, end);
    }

    static long micros(Instant t) {
        return t.getEpochSecond() * 1_000_000 + t.getNano() / 1_000;
    }

    long count() {
        return count.get();
    }

    /** Starts collecting latencies afresh. */
    void record() {
        recorded = 0;
        recording = true;
    }

    /** Stops collecting and returns {p50, p99, max} in milliseconds. */
    double[] percentiles() {
        recording = false;
        return percentiles(Arrays.copyOf(latenciesMicros, recorded));
    }

    /** {p50, p99, max} in milliseconds of samples in microseconds (NaN each when there are none); sorts {@code micros}. */
    static double[] percentiles(long[] micros) {
        long[] l = micros;
        Arrays.sort(l);
        if (l.length == 0) return new double[] {Double.NaN, Double.NaN, Double.NaN};
        return new double[] {l[l.length / 2] / 1000.0, l[(int) Math.min(l.length - 1, l.length * 0.99)] / 1000.0, l[l.length - 1] / 1000.0};
    }

    int samples() {
        return recorded;
    }

    /** Records per second arriving over {@code window}, after letting {@code warmUp} pass. */
    double rate(Duration warmUp, Duration window) throws InterruptedException {
        return rate(this::count, warmUp, window);
    }

    /** Per second of {@code window} by which {@code count} grows, after letting {@code warmUp} pass. */
    static double rate(java.util.function.LongSupplier count, Duration warmUp, Duration window) throws InterruptedException {
        Thread.sleep(warmUp.toMillis());
        long before = count.getAsLong();
        long t0 = System.nanoTime();
        Thread.sleep(window.toMillis());
        return (count.getAsLong() - before) / ((System.nanoTime() - t0) / 1e9);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(5000);
    }
}
