package dev.lattice.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lattice.bus.BusConfig;
import dev.lattice.bus.KafkaSecurity;
import dev.lattice.core.PlatformServices;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServicesTest {
    /** Nothing listens there: a service that tried to connect before reading its settings would hang, not fail. */
    private static final BusConfig NOWHERE = new BusConfig("127.0.0.1:1", "x", "x-1", "n1", KafkaSecurity.fromEnv(Map.of()));

    @Test
    void theTableIsThePlatformsServicesInStartOrder() {
        assertThat(Services.ALL).extracting(Services.Service::name).containsExactlyElementsOf(PlatformServices.ALL);
        assertThat(Services.named("nope")).isEmpty();
    }

    @Test
    void aBadSettingFailsTheStartNamingItsKeyBeforeAnythingConnects() {
        Map<String, Map<String, String>> bad = Map.of(
                PlatformServices.NODES, Map.of("LATTICE_NODE_SILENCE_MS", "soon"),
                PlatformServices.DEPLOYER, Map.of("LATTICE_NODE_LOST_AFTER_MS", "-5"),
                PlatformServices.SENSORS, Map.of("LATTICE_COMMAND_TIMEOUT", "30s"),
                PlatformServices.GATEWAY, Map.of("LATTICE_GATEWAY_PORT", "http"),
                PlatformServices.REPOSITORY, Map.of("LATTICE_DATA", "/tmp", "LATTICE_ARTEFACT_MAX_BYTES", "1 GB"));
        bad.forEach((service, env) -> {
            String key = env.keySet().stream().filter(k -> !k.equals("LATTICE_DATA")).findFirst().orElseThrow();
            assertThatThrownBy(() -> Services.named(service).orElseThrow().starter().start(NOWHERE, env, Clock.systemUTC()))
                    .as(service).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(key + ": '");
        });
    }
}
