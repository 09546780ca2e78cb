package dev.lattice.bus.broker;

import dev.lattice.bus.KafkaSecurity;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.LongSerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What SASL/PLAIN costs the embedded broker: start time, a new client's first answer (connect +
 * handshake), produce-to-consume latency and throughput, with and without it. Not part of the
 * suite (no Test/IT suffix); run it alone:
 * {@code mvn verify -pl bus -am -Dit.test=SaslCostBench -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false}
 * ({@code -Drounds=N}, default 3, after one unmeasured warm-up round, in a cold JVM: PLAINTEXT first,
 * or SASL with {@code -DsaslFirst=true}).
 */
class SaslCostBench {
    private static final int ROUND_TRIPS = 5000;
    private static final int BURST = 200_000;

    record Figures(long firstStartMs, long restartMs, double connectMs, double p50Us, double p99Us, double meanUs, double perSecond) {}

    @Test
    void measure(@TempDir Path dir) throws Exception {
        int rounds = Integer.getInteger("rounds", 3);
        List<List<Figures>> byMode = List.of(new java.util.ArrayList<>(), new java.util.ArrayList<>());
        for (int round = 0; round <= rounds; round++) {
            for (int m = 0; m < 2; m++) {
                int mode = Boolean.getBoolean("saslFirst") ? 1 - m : m; // which one pays for the cold JVM in round 0
                Figures f = once(dir.resolve(round + "-" + mode), mode == 1);
                if (round > 0) byMode.get(mode).add(f);
                System.out.printf("round %d %-10s %s%n", round, mode == 1 ? "SASL" : "PLAINTEXT", f);
            }
        }
        System.out.printf("%nmedian of %d rounds      first start  restart  connect  p50 rtt  p99 rtt  mean rtt  burst%n", rounds);
        for (int mode = 0; mode < 2; mode++) {
            List<Figures> fs = byMode.get(mode);
            System.out.printf("%-24s %8.0f ms %6.0f ms %6.1f ms %6.0f µs %6.0f µs %6.0f µs %7.0f/s%n", mode == 1 ? "SASL_PLAINTEXT/PLAIN" : "PLAINTEXT",
                    median(fs.stream().mapToDouble(Figures::firstStartMs)), median(fs.stream().mapToDouble(Figures::restartMs)),
                    median(fs.stream().mapToDouble(Figures::connectMs)), median(fs.stream().mapToDouble(Figures::p50Us)),
                    median(fs.stream().mapToDouble(Figures::p99Us)), median(fs.stream().mapToDouble(Figures::meanUs)),
                    median(fs.stream().mapToDouble(Figures::perSecond)));
        }
    }

    private static Figures once(Path dir, boolean sasl) throws Exception {
        Path logDir = dir.resolve("kafka");
        long t0 = System.nanoTime();
        EmbeddedKafka broker = EmbeddedKafka.start(logDir, "localhost", 0, sasl);
        long firstStart = ms(t0);
        double connect;
        double[] rtt = new double[ROUND_TRIPS];
        double perSecond;
        try {
            KafkaSecurity security = broker.clientSecurity();
            String topic = "bench";
            long c0 = System.nanoTime();
            try (Admin admin = Admin.create(common(broker, security))) {
                admin.describeCluster().clusterId().get(10, TimeUnit.SECONDS);
                connect = (System.nanoTime() - c0) / 1e6;
                admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(10, TimeUnit.SECONDS);
            }
            try (var producer = new KafkaProducer<String, Long>(producer(broker, security));
                 var consumer = new KafkaConsumer<String, Long>(consumer(broker, security))) {
                consumer.assign(List.of(new TopicPartition(topic, 0)));
                consumer.position(new TopicPartition(topic, 0)); // settle "latest" before the first send
                for (int i = -200; i < ROUND_TRIPS; i++) { // 200 unmeasured
                    long sent = System.nanoTime();
                    producer.send(new ProducerRecord<>(topic, "k", sent));
                    long got = -1;
                    while (got != sent) {
                        for (ConsumerRecord<String, Long> r : consumer.poll(Duration.ofMillis(100))) got = r.value();
                    }
                    if (i >= 0) rtt[i] = (System.nanoTime() - sent) / 1e3;
                }
                long b0 = System.nanoTime();
                for (int i = 0; i < BURST; i++) producer.send(new ProducerRecord<>(topic, "k", (long) i));
                producer.flush();
                int seen = 0;
                while (seen < BURST) {
                    for (ConsumerRecord<String, Long> r : consumer.poll(Duration.ofMillis(100))) if (r.value() >= 0 && r.value() < BURST) seen++;
                }
                perSecond = BURST / ((System.nanoTime() - b0) / 1e9);
            }
        } finally {
            broker.close();
        }
        long r0 = System.nanoTime();
        EmbeddedKafka again = EmbeddedKafka.start(logDir, "localhost", 0, sasl);
        long restart = ms(r0);
        again.close();
        Arrays.sort(rtt);
        return new Figures(firstStart, restart, connect, rtt[ROUND_TRIPS / 2], rtt[ROUND_TRIPS * 99 / 100],
                Arrays.stream(rtt).average().orElseThrow(), perSecond);
    }

    private static Properties common(EmbeddedKafka broker, KafkaSecurity security) {
        Properties p = new Properties();
        p.putAll(security.properties());
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        return p;
    }

    /** As the Bus makes them: acks=all, idempotent, no linger; read_committed, 100 ms fetch wait. */
    private static Properties producer(EmbeddedKafka broker, KafkaSecurity security) {
        Properties p = common(broker, security);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, LongSerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        return p;
    }

    private static Properties consumer(EmbeddedKafka broker, KafkaSecurity security) {
        Properties p = common(broker, security);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, LongDeserializer.class.getName());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "100");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        return p;
    }

    private static long ms(long since) {
        return (System.nanoTime() - since) / 1_000_000;
    }

    private static double median(java.util.stream.DoubleStream values) {
        double[] v = values.sorted().toArray();
        return v[v.length / 2];
    }
}
