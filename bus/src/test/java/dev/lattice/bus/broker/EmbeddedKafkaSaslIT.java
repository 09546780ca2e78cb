package dev.lattice.bus.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lattice.bus.KafkaSecurity;
import dev.lattice.bus.TestKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded broker lets in only clients that know its secret, on both listeners: no
 * credentials, or a wrong password, and nothing can be written, read or administered.
 */
class EmbeddedKafkaSaslIT {
    private static final KafkaSecurity WRONG_PASSWORD = KafkaSecurity.plain(EmbeddedKafka.USERNAME, "not-the-secret");
    private static final KafkaSecurity WRONG_USER = KafkaSecurity.plain("admin", TestKafka.broker().password());
    private static final ch.qos.logback.classic.Logger KAFKA_LOG =
            (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("org.apache.kafka");
    private static ch.qos.logback.classic.Level kafkaLevel;
    private static String topic;

    @BeforeAll
    static void aTopicWithOneRecord() throws Exception {
        // Refused clients log every failed attempt, on both sides: expected here, so not shown.
        kafkaLevel = KAFKA_LOG.getLevel();
        KAFKA_LOG.setLevel(ch.qos.logback.classic.Level.OFF);
        topic = TestKafka.unique("sasl");
        try (Admin admin = Admin.create(admin(TestKafka.bootstrap(), TestKafka.security()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(10, TimeUnit.SECONDS);
        }
        try (var producer = new KafkaProducer<String, String>(producer(TestKafka.security()))) {
            producer.send(new ProducerRecord<>(topic, "k", "written with the secret")).get(10, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void kafkaLogsAgain() {
        KAFKA_LOG.setLevel(kafkaLevel);
    }

    @Test
    void theRightCredentialsWriteReadAndAdminister() throws Exception {
        try (var producer = new KafkaProducer<String, String>(producer(TestKafka.security()))) {
            producer.send(new ProducerRecord<>(topic, "k", "again")).get(10, TimeUnit.SECONDS);
        }
        assertThat(read(TestKafka.security())).isGreaterThanOrEqualTo(1);
        try (Admin admin = Admin.create(admin(TestKafka.bootstrap(), TestKafka.security()))) {
            assertThat(admin.listTopics().names().get(10, TimeUnit.SECONDS)).contains(topic);
        }
        // The controller's listener too: KRaft admin clients may go there directly.
        try (Admin admin = Admin.create(controllerAdmin(TestKafka.security()))) {
            assertThat(admin.describeCluster().clusterId().get(10, TimeUnit.SECONDS)).isNotBlank();
        }
    }

    @Test
    void noCredentialsCannotWrite() {
        assertRefusedWithin(Duration.ofSeconds(10), () -> {
            try (var producer = new KafkaProducer<String, String>(producer(KafkaSecurity.NONE))) {
                producer.send(new ProducerRecord<>(topic, "k", "forged")).get(10, TimeUnit.SECONDS);
            }
        });
    }

    @Test
    void noCredentialsCannotReadOrAdminister() throws Exception {
        assertThat(readOrFail(KafkaSecurity.NONE)).isZero();
        assertRefusedWithin(Duration.ofSeconds(10), () -> {
            try (Admin admin = Admin.create(admin(TestKafka.bootstrap(), KafkaSecurity.NONE))) {
                admin.listTopics().names().get(10, TimeUnit.SECONDS);
            }
        });
        assertRefusedWithin(Duration.ofSeconds(10), () -> {
            try (Admin admin = Admin.create(controllerAdmin(KafkaSecurity.NONE))) {
                admin.describeCluster().clusterId().get(10, TimeUnit.SECONDS);
            }
        });
    }

    @Test
    void aWrongPasswordOrUserIsAnAuthenticationError() {
        for (KafkaSecurity wrong : List.of(WRONG_PASSWORD, WRONG_USER)) {
            assertAuthenticationFails(() -> {
                try (var producer = new KafkaProducer<String, String>(producer(wrong))) {
                    producer.send(new ProducerRecord<>(topic, "k", "forged")).get(10, TimeUnit.SECONDS);
                }
            });
            assertAuthenticationFails(() -> read(wrong));
            assertAuthenticationFails(() -> {
                try (Admin admin = Admin.create(admin(TestKafka.bootstrap(), wrong))) {
                    admin.listTopics().names().get(10, TimeUnit.SECONDS);
                }
            });
            assertAuthenticationFails(() -> {
                try (Admin admin = Admin.create(controllerAdmin(wrong))) {
                    admin.describeCluster().clusterId().get(10, TimeUnit.SECONDS);
                }
            });
        }
    }

    @Test
    void theSecretIsKeptOwnerOnlyBesideTheLog() throws Exception {
        Path file = TestKafka.broker().logDir().resolveSibling("kafka-secret");
        assertThat(Files.readString(file).strip()).isEqualTo(TestKafka.broker().password());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    /** A data directory from before SASL starts with it; restarts keep the secret, so clients keep working. */
    @Test
    void restartsKeepTheSecret(@TempDir Path dir) throws Exception {
        Path logDir = dir.resolve("kafka");
        try (EmbeddedKafka open = EmbeddedKafka.start(logDir, "localhost", 0, false)) {
            assertThat(open.password()).isNull();
        }
        String secret;
        try (EmbeddedKafka first = EmbeddedKafka.start(logDir)) {
            secret = first.password();
            try (Admin admin = Admin.create(admin(first.bootstrapServers(), first.clientSecurity()))) {
                admin.createTopics(List.of(new NewTopic("kept", 1, (short) 1))).all().get(10, TimeUnit.SECONDS);
            }
        }
        try (EmbeddedKafka second = EmbeddedKafka.start(logDir)) {
            assertThat(second.password()).isEqualTo(secret);
            try (Admin admin = Admin.create(admin(second.bootstrapServers(), KafkaSecurity.plain("lattice", secret)))) {
                assertThat(admin.listTopics().names().get(10, TimeUnit.SECONDS)).contains("kept");
            }
        }
    }

    // ---- clients

    private static Properties common(String bootstrap, KafkaSecurity security) {
        Properties p = new Properties();
        p.putAll(security.properties());
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(CommonClientConfigs.RECONNECT_BACKOFF_MAX_MS_CONFIG, "500");
        return p;
    }

    private static Properties admin(String bootstrap, KafkaSecurity security) {
        Properties p = common(bootstrap, security);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "3000");
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "3000");
        return p;
    }

    private static Properties controllerAdmin(KafkaSecurity security) {
        Properties p = admin(TestKafka.bootstrap(), security);
        p.remove(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG);
        p.put(AdminClientConfig.BOOTSTRAP_CONTROLLERS_CONFIG, TestKafka.broker().controllerServers());
        return p;
    }

    private static Properties producer(KafkaSecurity security) {
        Properties p = common(TestKafka.bootstrap(), security);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "3000");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "3000");
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "3000");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        return p;
    }

    /** How many records of the topic a consumer with {@code security} gets in 3 s. */
    private static int read(KafkaSecurity security) {
        Properties p = common(TestKafka.bootstrap(), security);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (var consumer = new KafkaConsumer<String, String>(p)) {
            consumer.assign(List.of(new TopicPartition(topic, 0)));
            int count = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            while (System.nanoTime() < deadline && count == 0) {
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(200));
                count += records.count();
            }
            return count;
        }
    }

    /** As {@link #read}, counting a failure as nothing read. */
    private static int readOrFail(KafkaSecurity security) {
        try {
            return read(security);
        } catch (KafkaException e) {
            return 0;
        }
    }

    interface Attempt {
        void run() throws Exception;
    }

    private static void assertRefusedWithin(Duration bound, Attempt attempt) {
        long started = System.nanoTime();
        assertThatThrownBy(attempt::run).isInstanceOfAny(ExecutionException.class, KafkaException.class,
                java.util.concurrent.TimeoutException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(bound);
    }

    private static void assertAuthenticationFails(Attempt attempt) {
        long started = System.nanoTime();
        assertThatThrownBy(attempt::run).satisfies(e -> assertThat(causes(e)).hasAtLeastOneElementOfType(SaslAuthenticationException.class));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    }

    private static List<Throwable> causes(Throwable e) {
        List<Throwable> all = new java.util.ArrayList<>();
        for (Throwable t = e; t != null && !all.contains(t); t = t.getCause()) all.add(t);
        return all;
    }
}
