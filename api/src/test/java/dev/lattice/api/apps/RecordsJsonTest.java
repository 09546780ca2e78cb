package dev.lattice.api.apps;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lattice.core.AppScope;
import dev.lattice.core.Json;
import dev.lattice.workloads.DeployerCommands;
import dev.lattice.workloads.Deployment;
import dev.lattice.workloads.Resources;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every record the apps service keeps or sends comes back from its JSON equal (they travel on Kafka). */
class RecordsJsonTest {
    private static final AppConfig CONFIG = AppConfig.parse("""
            name: guard
            version: "1"
            runtime: command
            command: [python3, app.py]
            sensors: [{name: probe, type: machine, min: 1, max: 2}]
            controllers: [{name: valve, type: valve}]
            models: [anomaly]
            params: [{name: level, type: integer, default: 3}]
            schedule: {cron: "*/10 * * * * ?", durationSeconds: 4}
            """.getBytes(StandardCharsets.UTF_8));
    private static final String SHA = "a".repeat(64);

    private static <T> void roundTrips(T value, Class<T> type) {
        assertThat(Json.read(Json.bytes(value), type)).isEqualTo(value);
    }

    @Test
    void versionsAndInstancesRoundTrip() {
        roundTrips(CONFIG, AppConfig.class);
        AppVersion v = new AppVersion("guard", "1", CONFIG, AppCommands.artefactOf(AppRuntime.COMMAND, SHA), null, "dev",
                Instant.parse("2030-01-01T00:00:00Z"));
        roundTrips(v, AppVersion.class);
        var deployment = new DeployerCommands.Create("app-guard-abc123", Deployment.APP, List.of("python3", "app.py"), null, 1,
                new Resources(0.1, 64), null, Map.of("LATTICE_INSTANCE", "guard-abc123"), v.artefact(), null);
        AppInstance i = new AppInstance("guard-abc123", "guard", "1", "eu", Map.of("probe", List.of("m1"), "valve", List.of("v1")),
                Map.of("level", 3), CONFIG.schedule(), new AppScope("guard-abc123", Set.of("m1"), Set.of("v1"), Set.of("anomaly")),
                "b".repeat(64), deployment, Instant.parse("2030-01-01T00:00:01Z"));
        roundTrips(i, AppInstance.class);
        assertThat(i.deployment().artefact().unpack()).isTrue();
    }

    @Test
    void commandsRoundTrip() {
        roundTrips(new AppCommands.AddVersion(CONFIG, SHA), AppCommands.AddVersion.class);
        roundTrips(new AppCommands.CreateInstance("guard", Map.of("probe", List.of("m1")), Map.of("level", 2),
                Json.read("{\"cron\":\"0 * * * * ?\"}".getBytes(), JsonNode.class)), AppCommands.CreateInstance.class);
        roundTrips(new AppCommands.DeleteInstance("guard-abc123"), AppCommands.DeleteInstance.class);
        roundTrips(new AppCommands.Created("guard-abc123", "PENDING"), AppCommands.Created.class);
    }

    @Test
    void outputsRoundTripAndTellTheirTime() {
        Output o = new Output("guard-abc123", Instant.parse("2030-01-01T00:00:02Z"),
                (com.fasterxml.jackson.databind.node.ObjectNode) Json.read("{\"label\":\"anomaly\"}".getBytes(), JsonNode.class));
        roundTrips(o, Output.class);
        assertThat(Output.tsOf(Json.bytes(o))).isEqualTo(o.ts());
    }
}
