package dev.lattice.bus.broker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lattice.bus.KafkaSecurity;
import dev.lattice.bus.TestKafka;
import dev.lattice.bus.identity.KafkaReadiness;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lattice check-kafka}'s checks against real brokers: one that has all, one without authentication or authorizer. */
class KafkaReadinessIT {
    @Test
    void theEmbeddedBrokerHasWhatLatticeNeeds() {
        List<KafkaReadiness.Check> checks = KafkaReadiness.check(TestKafka.bootstrap(), TestKafka.security());
        assertThat(checks).as(checks.toString()).allMatch(KafkaReadiness.Check::ok).hasSizeGreaterThanOrEqualTo(5);
        assertThat(checks.get(1).detail()).startsWith("1:");
    }

    @Test
    void aClusterWithoutAnAuthorizerIsToldSo(@TempDir Path dir) {
        try (EmbeddedKafka open = EmbeddedKafka.start(dir.resolve("kafka"), "localhost", 0, false)) {
            List<KafkaReadiness.Check> checks = KafkaReadiness.check(open.bootstrapServers(), KafkaSecurity.NONE);
            assertThat(checks.get(0).ok()).isTrue();
            var grant = checks.stream().filter(c -> c.what().startsWith("SCRAM")).findFirst().orElseThrow();
            assertThat(grant.ok()).isFalse();
            assertThat(grant.detail()).contains("authorizer");
        }
    }

    @Test
    void wrongCredentialsAreTheFirstThingSaid() {
        List<KafkaReadiness.Check> checks = KafkaReadiness.check(TestKafka.bootstrap(), KafkaSecurity.plain("lattice", "wrong-password"));
        assertThat(checks).hasSize(1);
        assertThat(checks.getFirst().ok()).isFalse();
        assertThat(checks.getFirst().detail()).contains("LATTICE_KAFKA_USERNAME");
    }
}
