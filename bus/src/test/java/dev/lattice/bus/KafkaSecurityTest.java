package dev.lattice.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaSecurityTest {
    private static final String PLAIN = "org.apache.kafka.common.security.plain.PlainLoginModule";

    @Test
    void nothingSetMeansNoSecurity() {
        assertThat(KafkaSecurity.fromEnv(Map.of())).isEqualTo(KafkaSecurity.NONE);
        assertThat(KafkaSecurity.fromEnv(Map.of("LATTICE_KAFKA_USERNAME", "", "LATTICE_KAFKA_PROPERTIES", " "))).isEqualTo(KafkaSecurity.NONE);
    }

    @Test
    void usernameAndPasswordMeanSaslPlain() {
        var s = KafkaSecurity.fromEnv(Map.of("LATTICE_KAFKA_USERNAME", "lattice", "LATTICE_KAFKA_PASSWORD", "s3cret"));
        assertThat(s).isEqualTo(KafkaSecurity.plain("lattice", "s3cret"));
        assertThat(s.properties()).containsEntry("security.protocol", "SASL_PLAINTEXT").containsEntry("sasl.mechanism", "PLAIN")
                .containsEntry("sasl.jaas.config", PLAIN + " required username=\"lattice\" password=\"s3cret\";");
    }

    @Test
    void aNamedMechanismMeansScram() {
        var s = KafkaSecurity.fromEnv(Map.of("LATTICE_KAFKA_USERNAME", "service.auth", "LATTICE_KAFKA_PASSWORD", "s3cret",
                "LATTICE_KAFKA_MECHANISM", "SCRAM-SHA-256"));
        assertThat(s).isEqualTo(KafkaSecurity.scram("service.auth", "s3cret"));
    }

    @Test
    void quotesAndBackslashesAreEscaped() {
        assertThat(KafkaSecurity.plain("a\"b", "c\\d").properties().get("sasl.jaas.config"))
                .isEqualTo(PLAIN + " required username=\"a\\\"b\" password=\"c\\\\d\";");
        assertThatThrownBy(() -> KafkaSecurity.plain("u", "line\nbreak")).hasMessageContaining("control characters");
    }

    @Test
    void oneWithoutTheOtherIsRefused() {
        assertThatThrownBy(() -> KafkaSecurity.fromEnv(Map.of("LATTICE_KAFKA_USERNAME", "lattice")))
                .hasMessageContaining("set both or neither");
        assertThatThrownBy(() -> KafkaSecurity.fromEnv(Map.of("LATTICE_KAFKA_PASSWORD", "x")))
                .hasMessageContaining("set both or neither");
    }

    @Test
    void aPropertiesFileAddsSettingsAndChoosesTheMechanism(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("kafka.properties");
        Files.writeString(file, """
                security.protocol=SASL_SSL
                sasl.mechanism=SCRAM-SHA-512
                ssl.truststore.location=/etc/kafka/truststore.p12
                ssl.truststore.password=trust me
                """);
        var s = KafkaSecurity.fromEnv(Map.of("LATTICE_KAFKA_USERNAME", "u", "LATTICE_KAFKA_PASSWORD", "p",
                "LATTICE_KAFKA_PROPERTIES", file.toString()));
        assertThat(s.properties()).containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("ssl.truststore.password", "trust me")
                .containsEntry("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\" password=\"p\";");
        // Alone, the file is taken as it is.
        assertThat(KafkaSecurity.fromEnv(Map.of("LATTICE_KAFKA_PROPERTIES", file.toString())).properties())
                .hasSize(4).doesNotContainKey("sasl.jaas.config");
    }

    @Test
    void badFilesAndSettingsAreRefused(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> KafkaSecurity.fromEnv(Map.of("LATTICE_KAFKA_PROPERTIES", dir.resolve("absent").toString())))
                .hasMessageStartingWith("LATTICE_KAFKA_PROPERTIES: cannot read");
        Path reserved = dir.resolve("reserved.properties");
        Files.writeString(reserved, "group.id=mine\n");
        assertThatThrownBy(() -> KafkaSecurity.fromEnv(Map.of("LATTICE_KAFKA_PROPERTIES", reserved.toString())))
                .hasMessageContaining("'group.id' is set by Lattice");
        Path ssl = dir.resolve("ssl.properties");
        Files.writeString(ssl, "security.protocol=SSL\n");
        assertThatThrownBy(() -> KafkaSecurity.fromEnv(Map.of("LATTICE_KAFKA_PROPERTIES", ssl.toString(),
                "LATTICE_KAFKA_USERNAME", "u", "LATTICE_KAFKA_PASSWORD", "p"))).hasMessageContaining("needs a SASL security.protocol");
        Path gssapi = dir.resolve("gssapi.properties");
        Files.writeString(gssapi, "sasl.mechanism=GSSAPI\n");
        assertThatThrownBy(() -> KafkaSecurity.fromEnv(Map.of("LATTICE_KAFKA_PROPERTIES", gssapi.toString(),
                "LATTICE_KAFKA_USERNAME", "u", "LATTICE_KAFKA_PASSWORD", "p"))).hasMessageContaining("set sasl.jaas.config");
    }

    @Test
    void secretsNeverShowInToString() {
        var config = new BusConfig("localhost:9092", "auth", null, "n1", KafkaSecurity.plain("lattice", "s3cret"));
        assertThat(config.toString()).contains("sasl.jaas.config").doesNotContain("s3cret");
    }

    @Test
    void everyClientGetsTheSettings() {
        var config = new BusConfig("localhost:9092", "auth", null, "n1", KafkaSecurity.plain("lattice", "s3cret"));
        for (var p : java.util.List.of(config.producer(), config.consumer(), config.admin())) {
            assertThat(p).containsEntry("security.protocol", "SASL_PLAINTEXT").containsEntry("sasl.mechanism", "PLAIN")
                    .containsKey("sasl.jaas.config").containsEntry("bootstrap.servers", "localhost:9092");
        }
        assertThat(new BusConfig("localhost:9092", "auth", null, "n1").admin()).doesNotContainKey("security.protocol");
    }
}
