package dev.lattice.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lattice.bus.KafkaSecurity;
import dev.lattice.core.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Logs in to a running platform's broker as one of its services, with the credential {@code up}
 * gave it (read from the control-plane agent's root-only file, as a process that took the service
 * over would find it in its own environment), or as a joined node's agent, and tries what that
 * identity must not do.
 */
final class ServiceIdentityCheck {
    private final String bootstrap;
    private final KafkaSecurity security;
    final String username;

    private ServiceIdentityCheck(String bootstrap, String username, KafkaSecurity security) {
        this.bootstrap = bootstrap;
        this.username = username;
        this.security = security;
    }

    /** {@code service}'s identity on the platform whose data folder is {@code data}. */
    static ServiceIdentityCheck of(Path data, String service) throws Exception {
        JsonNode all = Json.read(Files.readAllBytes(data.resolve("nodes").resolve("n1-services.json")), JsonNode.class);
        for (JsonNode s : all) {
            if (!s.path("workload").path("id").asText().equals(service)) continue;
            JsonNode env = s.path("workload").path("spec").path("env");
            assertThat(env.path("LATTICE_KAFKA_USERNAME").asText()).as(service + "'s Kafka user").isEqualTo("service." + service);
            // The embedded broker knows each service as a PLAIN user (an external cluster: SCRAM).
            assertThat(env.path("LATTICE_KAFKA_MECHANISM").asText()).isEqualTo("PLAIN");
            java.util.Map<String, String> login = new java.util.HashMap<>();
            for (String k : List.of("LATTICE_KAFKA_USERNAME", "LATTICE_KAFKA_PASSWORD", "LATTICE_KAFKA_MECHANISM")) login.put(k, env.path(k).asText());
            return new ServiceIdentityCheck(env.path("LATTICE_KAFKA").asText(), login.get("LATTICE_KAFKA_USERNAME"), KafkaSecurity.fromEnv(login));
        }
        throw new AssertionError("no service " + service + " in " + all);
    }

    /** A joined node's identity ({@code DATA/node-identity.json} on its host): a SCRAM user of the cluster at {@code bootstrap}. */
    static ServiceIdentityCheck scram(String bootstrap, String username, String password) {
        return new ServiceIdentityCheck(bootstrap, username, KafkaSecurity.scram(username, password));
    }

    private Properties props() {
        Properties p = new Properties();
        p.putAll(security.properties());
        p.put("bootstrap.servers", bootstrap);
        p.put("request.timeout.ms", "4000");
        p.put("default.api.timeout.ms", "8000");
        return p;
    }

    /** Each write is refused by the broker (a record that never lands, whatever it says). */
    void cannotWrite(List<String> topics) {
        Properties p = props();
        p.put("key.serializer", StringSerializer.class.getName());
        p.put("value.serializer", StringSerializer.class.getName());
        p.put("max.block.ms", "5000");
        p.put("delivery.timeout.ms", "5000");
        try (var producer = new KafkaProducer<String, String>(p)) {
            for (String topic : topics) {
                Throwable refused = catchThrowable(() -> {
                    var written = producer.send(new ProducerRecord<>(topic, "user/admin", "{\"role\":\"admin\"}")).get();
                    throw new AssertionError(username + " wrote " + topic + " at offset " + written.offset());
                });
                assertThat(refused).as("writing " + topic + " as " + username)
                        .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(AuthorizationException.class);
            }
        }
    }

    /** Each read is refused (password hashes, node secrets: nothing a compromised service may take). */
    void cannotRead(List<String> topics) {
        for (String topic : topics) {
            try (var consumer = consumer()) {
                consumer.assign(List.of(new TopicPartition(topic, 0)));
                consumer.seekToBeginning(consumer.assignment());
                assertThatThrownBy(() -> consumer.poll(Duration.ofSeconds(5))).as("reading " + topic + " as " + username)
                        .isInstanceOf(AuthorizationException.class);
            }
        }
    }

    /** A read the service does need answers (so the refusals above are the ACLs', not a login that failed). */
    void canRead(String topic) {
        try (var consumer = consumer()) {
            consumer.assign(List.of(new TopicPartition(topic, 0)));
            consumer.seekToBeginning(consumer.assignment());
            consumer.poll(Duration.ofSeconds(2));
            assertThat(consumer.position(new TopicPartition(topic, 0))).as(username + " reads " + topic).isNotNegative();
        }
    }

    /** It cannot make itself another Kafka user (nor, so, grant itself anything). */
    void cannotMakeUsers() {
        try (Admin admin = Admin.create(props())) {
            assertThatThrownBy(() -> admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion("service.evil",
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 8192), "evil-password"))).all().get())
                    .as("making a Kafka user as " + username).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(AuthorizationException.class);
        }
    }

    /**
     * Sends {@code type} to {@code service}'s request topic as this identity can, claiming to act for
     * {@code principal} with {@code credential} (null: none); the reply's status (200, or the refusal's).
     */
    int request(String service, String type, Object payload, dev.lattice.core.Principal principal, String credential) {
        String self = username.substring(username.indexOf('.') + 1);
        var config = new dev.lattice.bus.BusConfig(bootstrap, self, self + ".forger", "forger", security);
        try (var bus = dev.lattice.bus.Bus.connect(config, java.time.Clock.systemUTC())) {
            bus.client().call(service, type, payload, principal, credential, JsonNode.class);
            return 200;
        } catch (dev.lattice.core.LatticeException e) {
            return e.status();
        }
    }

    private KafkaConsumer<String, String> consumer() {
        Properties p = props();
        p.put("key.deserializer", StringDeserializer.class.getName());
        p.put("value.deserializer", StringDeserializer.class.getName());
        p.put("enable.auto.commit", "false");
        return new KafkaConsumer<>(p);
    }
}
