package dev.lattice.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import dev.lattice.core.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * bench/ingest: readings into a real `lattice up` over MQTT and HTTP, flat out and at a fixed
 * rate, measured where they land (a consumer of {@code lattice.readings}); and in the same run,
 * on the same broker, a plain Kafka producer → consumer with the platform's producer settings,
 * as the baseline the platform's figures are divided by.
 */
public final class IngestBench {
    record Sensor(String id, String token) {}

    /** Concurrent HTTP posters (BENCH_POSTERS, default 8), each one request in flight. */
    static final int POSTERS = Integer.parseInt(System.getenv().getOrDefault("BENCH_POSTERS", "8"));

    /**
     * Load before each flat-out window is counted (BENCH_WARMUP_SECONDS, default 10). With 2 s, a JFR
     * profile of the gateway in the HTTP window showed its C2 and C1 compilers at ~40 % of its CPU:
     * the window measured JVMs still compiling the path, not the path (issue 13, 5 Dec).
     */
    static final Duration WARM_UP = Duration.ofSeconds(Integer.parseInt(System.getenv().getOrDefault("BENCH_WARMUP_SECONDS", "10")));

    public static void main(String[] args) throws Exception {
        int sensors = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        Duration window = Duration.ofSeconds(args.length > 1 ? Integer.parseInt(args[1]) : 10);
        int rate = args.length > 2 ? Integer.parseInt(args[2]) : 5000;
        if (args.length > 3 && (args[3].equals("mqtt-only") || args[3].equals("http-only"))) {
            // For profiling: only one flat-out phase, for `window` seconds (a line marks its start).
            boolean mqtt = args[3].equals("mqtt-only");
            try (Platform platform = Platform.start(Path.of(System.getProperty("lattice.root", ".")).toAbsolutePath())) {
                List<Sensor> fleet = register(platform, sensors);
                try (Tally readings = new Tally(platform.kafkaClient(), "lattice.readings")) {
                    System.out.println(mqtt ? "MQTT_PHASE_START" : "HTTP_PHASE_START");
                    Load load = mqtt ? () -> mqttPublishers(platform.mqttPort, fleet, 0, true) : () -> httpPosters(platform, fleet, 100);
                    System.out.printf("%s flat out: %,.0f readings/s%n", mqtt ? "MQTT" : "HTTP", flat(load, readings, WARM_UP, window));
                }
            }
            return;
        }
        Duration warmUp = WARM_UP;
        Path root = Path.of(System.getProperty("lattice.root", ".")).toAbsolutePath();

        try (Platform platform = Platform.start(root)) {
            List<Sensor> fleet = register(platform, sensors);
            Properties client = platform.kafkaClient();
            createRawTopic(client);
            List<String> rows = new ArrayList<>();
            try (Tally raw = new Tally(client, "bench.raw"); Tally readings = new Tally(client, "lattice.readings")) {
                double rawFlat = flat(() -> rawProducer(client, 0, true), raw, warmUp, window);
                double rawPlain = flat(() -> rawProducer(client, 0, false), raw, warmUp, window);
                double[] rawLat = paced(n -> rawProducer(client, n, true), raw, rate, window);
                double mosquitto = Double.NaN;
                double mqttFlat = flat(() -> mqttPublishers(platform.mqttPort, fleet, 0, true), readings, warmUp, window);
                int half = (int) Math.max(1, mqttFlat / 2);
                double[] mosquittoLat = {Double.NaN, Double.NaN, Double.NaN};
                if (Mosquitto.installed()) {
                    try (Mosquitto m = Mosquitto.start()) {
                        AutoCloseable load = mqttPublishers(m.port, fleet, 0, false);
                        try {
                            mosquitto = m.rate(warmUp, window);
                        } finally {
                            load.close();
                        }
                        load = mqttPublishers(m.port, fleet, half, false);
                        try {
                            mosquittoLat = m.latency(window);
                        } finally {
                            load.close();
                        }
                    }
                }
                double[] mqttHalf = paced(n -> mqttPublishers(platform.mqttPort, fleet, n, true), readings, half, window);
                double[] mqttLat = paced(n -> mqttPublishers(platform.mqttPort, fleet, n, true), readings, rate, window);
                double httpFlat = flat(() -> httpPosters(platform, fleet, 100), readings, warmUp, window);

                rows.add(String.format("  raw Kafka, the readings producer's settings  %,10.0f records/s   (baseline A: linger 2 ms, lz4)", rawFlat));
                rows.add(String.format("  raw Kafka, one record per request           %,10.0f records/s   (baseline B: linger 0, no compression)", rawPlain));
                rows.add(String.format("  calibration: raw Kafka A %,.0f/s, B %,.0f/s; Mosquitto QoS 1 in, delivered %,.0f/s (baseline M%s)",
                        rawFlat, rawPlain, mosquitto, Mosquitto.installed() ? "" : ": not installed, apt-get install mosquitto"));
                rows.add(String.format("  MQTT readings -> Kafka, flat out            %,10.0f readings/s  ratio %.2f to M, %.3f to A", mqttFlat, mqttFlat / mosquitto, mqttFlat / rawFlat));
                rows.add(String.format("  HTTP readings (batches of 100), flat out    %,10.0f readings/s  ratio %.2f to B, %.2f to A", httpFlat, httpFlat / rawPlain, httpFlat / rawFlat));
                rows.add(String.format("  raw Kafka at %,d/s: latency p50 %.2f ms, p99 %.2f ms (max %.1f ms)", rate, rawLat[0], rawLat[1], rawLat[2]));
                rows.add(String.format("  MQTT at %,d/s (half of flat out): publish -> consumer p50 %.2f ms, p99 %.2f ms (max %.1f ms)", half, mqttHalf[0], mqttHalf[1], mqttHalf[2]));
                rows.add(String.format("  Mosquitto at %,d/s: publish -> subscriber p50 %.2f ms, p99 %.2f ms (max %.1f ms)", half, mosquittoLat[0], mosquittoLat[1], mosquittoLat[2]));
                rows.add(String.format("  MQTT at %,d/s: publish -> consumer p50 %.2f ms, p99 %.2f ms (max %.1f ms)", rate, mqttLat[0], mqttLat[1], mqttLat[2]));
            }
            System.out.printf("bench/ingest: %d sensors, %d s windows after %d s warm-up, %d cores, Kafka %s%n",
                    sensors, window.toSeconds(), warmUp.toSeconds(), Runtime.getRuntime().availableProcessors(),
                    client.containsKey("sasl.mechanism") ? "with SASL/PLAIN" : "without authentication");
            rows.forEach(System.out::println);
            System.out.println("  targets (issue 13): MQTT >= 0.5 x M; p99 <= 20 ms at half of MQTT flat out; HTTP batched >= 0.3 x B");
        }
    }

    /** Starts a load (flat out) and measures how fast it arrives. */
    static double flat(Load load, Tally tally, Duration warmUp, Duration window) throws Exception {
        AutoCloseable running = load.start();
        try {
            return tally.rate(warmUp, window);
        } finally {
            running.close();
            Thread.sleep(1000); // let the queue drain before the next phase
        }
    }

    static double[] paced(PacedLoad load, Tally tally, int rate, Duration window) throws Exception {
        AutoCloseable running = load.start(rate);
        try {
            Thread.sleep(2000);
            tally.record();
            Thread.sleep(window.toMillis());
            return tally.percentiles();
        } finally {
            running.close();
            Thread.sleep(1000);
        }
    }

    interface Load {
        AutoCloseable start() throws Exception;
    }

    interface PacedLoad {
        AutoCloseable start(int perSecond) throws Exception;
    }

    static List<Sensor> register(Platform p, int n) throws Exception {
        String login = p.send("POST", "/api/v1/auth/login", null,
                "{\"username\":\"admin\",\"password\":\"" + Platform.ADMIN_PASSWORD + "\"}").body();
        String token = Json.read(login.getBytes(), JsonNode.class).get("token").asText();
        p.send("POST", "/api/v1/sensor-types", token,
                "{\"name\":\"bench\",\"fields\":[{\"name\":\"value\",\"type\":\"number\"},{\"name\":\"seq\",\"type\":\"integer\"}]}");
        List<Sensor> fleet = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            var r = p.send("POST", "/api/v1/sensor-instances", token,
                    "{\"type\":\"bench\",\"name\":\"b" + i + "\",\"location\":{\"label\":\"bench\"}}");
            fleet.add(new Sensor("b" + i, Json.read(r.body().getBytes(), JsonNode.class).get("token").asText()));
        }
        return fleet;
    }

    static String reading(long seq) {
        return "{\"value\":" + (seq % 1000) / 10.0 + ",\"seq\":" + seq + ",\"ts\":\"" + Instant.now() + "\"}";
    }

    static void createRawTopic(Properties client) throws Exception {
        try (Admin admin = Admin.create(client)) {
            admin.createTopics(List.of(new NewTopic("bench.raw", 4, (short) 1))).all().get();
        }
    }

    /**
     * A plain producer on a topic of its own: with {@code batching}, the platform's readings settings
     * (acks=all, idempotent, linger 2 ms, lz4); without, FACTS.md's (acks=all, idempotent, linger 0).
     */
    static AutoCloseable rawProducer(Properties client, int perSecond, boolean batching) {
        Properties p = new Properties();
        p.putAll(client);
        p.put("key.serializer", StringSerializer.class.getName());
        p.put("value.serializer", ByteArraySerializer.class.getName());
        p.put("acks", "all");
        p.put("enable.idempotence", "true");
        p.put("linger.ms", batching ? "2" : "0");
        if (batching) {
            p.put("batch.size", "131072");
            p.put("compression.type", "lz4");
        }
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p);
        return loop(perSecond, seq -> producer.send(new ProducerRecord<>("bench.raw", "b" + (seq % 50),
                ("{\"instance\":\"b" + (seq % 50) + "\",\"ts\":\"" + Instant.now() + "\",\"values\":{\"value\":1.5,\"seq\":" + seq + "}}")
                        .getBytes(StandardCharsets.UTF_8))), producer::close);
    }

    /** One MQTT client per sensor, QoS 1, 64 messages in flight each; with {@code login}, as the device (Lattice). */
    static AutoCloseable mqttPublishers(int port, List<Sensor> fleet, int perSecond, boolean login) {
        List<Mqtt5AsyncClient> clients = new ArrayList<>();
        List<Semaphore> windows = new ArrayList<>();
        for (Sensor s : fleet) {
            Mqtt5AsyncClient c = MqttClient.builder().useMqttVersion5().identifier("bench-" + s.id())
                    .serverHost("127.0.0.1").serverPort(port).buildAsync();
            var connect = c.connectWith();
            if (login) connect.simpleAuth().username(s.id()).password(s.token().getBytes(StandardCharsets.UTF_8)).applySimpleAuth();
            connect.send().join();
            clients.add(c);
            windows.add(new Semaphore(64));
        }
        return loop(perSecond, seq -> {
            int i = (int) (seq % clients.size());
            windows.get(i).acquireUninterruptibly();
            clients.get(i).publishWith().topic("sensors/" + fleet.get(i).id()).qos(MqttQos.AT_LEAST_ONCE)
                    .payload(reading(seq).getBytes(StandardCharsets.UTF_8)).send()
                    .whenComplete((r, e) -> windows.get(i).release());
        }, () -> clients.forEach(c -> c.disconnect().join()));
    }

    static AutoCloseable httpPosters(Platform p, List<Sensor> fleet, int batch) {
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong seq = new AtomicLong();
        var pool = Executors.newVirtualThreadPerTaskExecutor();
        for (int w = 0; w < POSTERS; w++) {
            pool.execute(() -> {
                while (running.get()) {
                    long s = seq.getAndAdd(batch);
                    Sensor sensor = fleet.get((int) ((s / batch) % fleet.size()));
                    StringBuilder body = new StringBuilder("[");
                    for (int k = 0; k < batch; k++) body.append(k == 0 ? "" : ",").append(reading(s + k));
                    try {
                        p.send("POST", "/api/v1/sensor-instances/" + sensor.id() + "/readings", sensor.token(), body.append(']').toString());
                    } catch (Exception e) {
                        return;
                    }
                }
            });
        }
        return () -> {
            running.set(false);
            pool.shutdown();
            pool.awaitTermination(30, TimeUnit.SECONDS);
        };
    }

    interface Step {
        void send(long seq) throws Exception;
    }

    /** Calls {@code step} flat out (perSecond 0) or at a fixed rate, on one thread, until closed. */
    static AutoCloseable loop(int perSecond, Step step, AutoCloseable after) {
        AtomicBoolean running = new AtomicBoolean(true);
        Thread t = Thread.ofPlatform().name("load").start(() -> {
            long seq = 0;
            long start = System.nanoTime();
            while (running.get()) {
                if (perSecond > 0) {
                    long due = start + seq * 1_000_000_000L / perSecond;
                    long wait = due - System.nanoTime();
                    if (wait > 0) java.util.concurrent.locks.LockSupport.parkNanos(wait);
                }
                try {
                    step.send(seq++);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        });
        return () -> {
            running.set(false);
            t.join(30_000);
            after.close();
        };
    }

    private IngestBench() {}
}
