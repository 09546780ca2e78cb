package dev.lattice.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lattice.api.repository.Endpoint;
import dev.lattice.api.repository.Stored;
import dev.lattice.bus.BusConfig;
import dev.lattice.core.Json;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RepositoryConfigTest {
    private static final BusConfig BUS = new BusConfig("localhost:9092", RepositoryMain.SERVICE, null, "n1");

    @Test
    void defaultsPutTheStoreUnderTheDataDirectory() {
        RepositoryConfig c = RepositoryConfig.fromEnv(BUS, Map.of("LATTICE_DATA", "/var/lattice"));

        assertThat(c.dir()).isEqualTo(Path.of("/var/lattice/repository"));
        assertThat(c.host()).isEqualTo("127.0.0.1");
        assertThat(c.port()).isZero();
        assertThat(c.maxBytes()).isEqualTo(512L * 1024 * 1024);
        assertThat(c.advertisedUrl(8081)).isEqualTo("http://127.0.0.1:8081");
    }

    @Test
    void everySettingComesFromItsVariable() {
        RepositoryConfig c = RepositoryConfig.fromEnv(BUS, Map.of(
                "LATTICE_DATA", "/var/lattice",
                "LATTICE_REPOSITORY_DIR", "/srv/artefacts",
                "LATTICE_REPOSITORY_HOST", "0.0.0.0",
                "LATTICE_REPOSITORY_PORT", "8081",
                "LATTICE_REPOSITORY_URL", "http://control-1:8081/",
                "LATTICE_ARTEFACT_MAX_BYTES", "1048576"));

        assertThat(c.dir()).isEqualTo(Path.of("/srv/artefacts"));
        assertThat(c.port()).isEqualTo(8081);
        assertThat(c.maxBytes()).isEqualTo(1048576);
        assertThat(c.advertisedUrl(8081)).isEqualTo("http://control-1:8081");
    }

    @Test
    void aWildcardHostIsAdvertisedAsLoopback() {
        RepositoryConfig c = RepositoryConfig.fromEnv(BUS, Map.of("LATTICE_DATA", "/d", "LATTICE_REPOSITORY_HOST", "0.0.0.0"));

        assertThat(c.advertisedUrl(4000)).isEqualTo("http://127.0.0.1:4000");
    }

    @Test
    void badValuesFailNamingTheirVariable() {
        assertThatThrownBy(() -> RepositoryConfig.fromEnv(BUS, Map.of()))
                .hasMessageContaining("LATTICE_REPOSITORY_DIR").hasMessageContaining("LATTICE_DATA");
        assertThatThrownBy(() -> RepositoryConfig.fromEnv(BUS, Map.of("LATTICE_DATA", "/d", "LATTICE_REPOSITORY_PORT", "http")))
                .hasMessageContaining("LATTICE_REPOSITORY_PORT");
        assertThatThrownBy(() -> RepositoryConfig.fromEnv(BUS, Map.of("LATTICE_DATA", "/d", "LATTICE_REPOSITORY_PORT", "70000")))
                .hasMessageContaining("LATTICE_REPOSITORY_PORT");
        assertThatThrownBy(() -> RepositoryConfig.fromEnv(BUS, Map.of("LATTICE_DATA", "/d", "LATTICE_ARTEFACT_MAX_BYTES", "0")))
                .hasMessageContaining("LATTICE_ARTEFACT_MAX_BYTES");
        assertThatThrownBy(() -> RepositoryConfig.fromEnv(BUS, Map.of("LATTICE_DATA", "/d", "LATTICE_REPOSITORY_URL", "control-1:8081")))
                .hasMessageContaining("LATTICE_REPOSITORY_URL");
    }

    @Test
    void endpointsAndStoredAnswersRoundTripThroughJson() {
        Endpoint e = new Endpoint("repository", "http://127.0.0.1:8081", "repository.n1", Instant.parse("2026-01-02T03:04:05Z"));
        Stored s = new Stored("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824", 5, true);

        assertThat(Json.read(Json.bytes(e), Endpoint.class)).isEqualTo(e);
        assertThat(Json.read(Json.bytes(s), Stored.class)).isEqualTo(s);
        assertThat(new Endpoint("repository", "http://h:1/", "i", null).url()).isEqualTo("http://h:1");
    }
}
