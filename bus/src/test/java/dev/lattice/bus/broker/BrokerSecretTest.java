package dev.lattice.bus.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrokerSecretTest {
    @Test
    void madeOnceOwnerOnlyThenReused(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("kafka-secret");
        String secret = BrokerSecret.loadOrCreate(file);
        assertThat(secret).matches("[A-Za-z0-9_-]{43}");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(BrokerSecret.loadOrCreate(file)).isEqualTo(secret);
        assertThat(BrokerSecret.loadOrCreate(dir.resolve("other"))).isNotEqualTo(secret);
        assertThat(dir.resolve("kafka-secret.tmp")).doesNotExist();
    }

    @Test
    void aFileOthersCanReadIsMadeOwnerOnly(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("kafka-secret");
        String secret = BrokerSecret.loadOrCreate(file);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(BrokerSecret.loadOrCreate(file)).isEqualTo(secret);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void aDamagedFileIsAnErrorNotANewSecret(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("kafka-secret");
        Files.writeString(file, "short\n");
        assertThatThrownBy(() -> BrokerSecret.loadOrCreate(file)).hasMessageContaining("does not hold a Kafka secret");
        assertThat(Files.readString(file)).isEqualTo("short\n");
    }
}
