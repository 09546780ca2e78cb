package dev.lattice.bus.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lattice.bus.KafkaSecurity;
import dev.lattice.bus.TestKafka;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A user the platform makes can do what its grants say and nothing else, on the real embedded
 * broker (SCRAM-SHA-256, KRaft's StandardAuthorizer); once revoked, it cannot even log in.
 */
class KafkaIdentitiesIT {
    private static String mine;
    private static String theirs;
    private static String readable;

    @BeforeAll
    static void topics() throws Exception {
        mine = TestKafka.unique("ident-mine");
        theirs = TestKafka.unique("ident-theirs");
        readable = TestKafka.unique("ident-readable");
        try (Admin admin = admin(TestKafka.security())) {
            admin.createTopics(List.of(new NewTopic(mine, 1, (short) 1), new NewTopic(theirs, 1, (short) 1),
                    new NewTopic(readable, 1, (short) 1))).all().get(10, TimeUnit.SECONDS);
        }
        try (var p = producer(TestKafka.security())) {
            p.send(new ProducerRecord<>(readable, "k", "v")).get(10, TimeUnit.SECONDS);
            p.send(new ProducerRecord<>(theirs, "k", "secret")).get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aGrantedUserWritesAndReadsOnlyWhatItIsGiven() throws Exception {
        KafkaIdentities.Credential c;
        try (Admin admin = admin(TestKafka.security())) {
            c = KafkaIdentities.grant(admin, TestKafka.unique("node.t"),
                    new KafkaIdentities.Grants(List.of(readable), List.of(mine), List.of(), List.of()));
        }
        assertThat(c.toString()).doesNotContain(c.password());
        try (var p = producer(c.security())) {
            p.send(new ProducerRecord<>(mine, "k", "mine")).get(10, TimeUnit.SECONDS);
            assertThatThrownBy(() -> p.send(new ProducerRecord<>(theirs, "k", "forged")).get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(AuthorizationException.class);
        }
        assertThat(read(c.security(), readable)).isEqualTo(1);
        assertThatThrownBy(() -> read(c.security(), theirs)).isInstanceOf(AuthorizationException.class);
        try (Admin admin = admin(c.security())) {
            // Topics it has no grant on are not even listed.
            assertThat(admin.listTopics().names().get(10, TimeUnit.SECONDS)).contains(mine, readable).doesNotContain(theirs);
            assertThatThrownBy(() -> admin.createTopics(List.of(new NewTopic(TestKafka.unique("ident-new"), 1, (short) 1)))
                    .all().get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(AuthorizationException.class);
        }
    }

    /** A user's grants changed (an upgrade): its credential still logs in, and it now writes what it may and no longer what it may not. */
    @Test
    void newGrantsTakeOverWhereTheOldOnesWere() throws Exception {
        String user = TestKafka.unique("node.u");
        String before = TestKafka.unique("ident-before");
        String after = TestKafka.unique("ident-after");
        KafkaIdentities.Credential c;
        try (Admin admin = admin(TestKafka.security())) {
            admin.createTopics(List.of(new NewTopic(before, 1, (short) 1), new NewTopic(after, 1, (short) 1))).all().get(10, TimeUnit.SECONDS);
            c = KafkaIdentities.grant(admin, user, new KafkaIdentities.Grants(List.of(), List.of(before), List.of(), List.of()));
            assertThat(KafkaIdentities.users(admin)).contains(user);
            var next = java.util.Map.of(user, new KafkaIdentities.Grants(List.of(), List.of(after), List.of(), List.of()));
            KafkaIdentities.setAcls(admin, next);
            KafkaIdentities.setAcls(admin, next); // the same grants again change nothing
        }
        try (var p = producer(c.security())) {
            p.send(new ProducerRecord<>(after, "k", "now mine")).get(10, TimeUnit.SECONDS);
            assertThatThrownBy(() -> p.send(new ProducerRecord<>(before, "k", "no longer")).get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(AuthorizationException.class);
        }
    }

    @Test
    void aRevokedUserCannotLogIn() throws Exception {
        String user = TestKafka.unique("node.r");
        KafkaIdentities.Credential c;
        try (Admin admin = admin(TestKafka.security())) {
            c = KafkaIdentities.grant(admin, user, new KafkaIdentities.Grants(List.of(readable), List.of(), List.of(), List.of()));
            assertThat(read(c.security(), readable)).isEqualTo(1);
            KafkaIdentities.revoke(admin, user);
            KafkaIdentities.revoke(admin, user); // twice is fine
        }
        // Credentials reach the broker through the metadata log: allow it a moment.
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try {
                read(c.security(), readable);
            } catch (SaslAuthenticationException e) {
                break;
            }
            if (System.nanoTime() > deadline) throw new AssertionError("a revoked user still logs in");
            Thread.sleep(200);
        }
    }

    @Test
    void aNewPasswordReplacesTheOld() throws Exception {
        String user = TestKafka.unique("node.p");
        var grants = new KafkaIdentities.Grants(List.of(readable), List.of(), List.of(), List.of());
        try (Admin admin = admin(TestKafka.security())) {
            KafkaIdentities.Credential first = KafkaIdentities.grant(admin, user, grants);
            KafkaIdentities.Credential second = KafkaIdentities.grant(admin, user, grants);
            assertThat(second.password()).isNotEqualTo(first.password());
            assertThat(read(second.security(), readable)).isEqualTo(1);
            assertThatThrownBy(() -> read(first.security(), readable)).isInstanceOf(SaslAuthenticationException.class);
        }
    }

    // ---- clients

    private static Properties common(KafkaSecurity security) {
        Properties p = new Properties();
        p.putAll(security.properties());
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrap());
        p.put(CommonClientConfigs.RECONNECT_BACKOFF_MAX_MS_CONFIG, "500");
        p.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
        p.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, "4000");
        return p;
    }

    private static Admin admin(KafkaSecurity security) {
        return Admin.create(common(security));
    }

    private static KafkaProducer<String, String> producer(KafkaSecurity security) {
        Properties p = common(security);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "5000");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "5000");
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "4000");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        return new KafkaProducer<>(p);
    }

    /** How many records of {@code topic} a consumer gets within 5 s; authorization and authentication errors are thrown. */
    private static int read(KafkaSecurity security, String topic) {
        Properties p = common(security);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (var consumer = new KafkaConsumer<String, String>(p)) {
            consumer.assign(List.of(new TopicPartition(topic, 0)));
            consumer.seekToBeginning(consumer.assignment());
            int count = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (System.nanoTime() < deadline && count == 0) count += consumer.poll(Duration.ofMillis(200)).count();
            return count;
        }
    }
}
