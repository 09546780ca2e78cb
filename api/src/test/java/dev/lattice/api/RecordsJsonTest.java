package dev.lattice.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lattice.api.apps.AppCommands;
import dev.lattice.api.apps.AppConfig;
import dev.lattice.api.apps.AppInstance;
import dev.lattice.api.apps.AppRuntime;
import dev.lattice.api.apps.AppVersion;
import dev.lattice.api.apps.Binding;
import dev.lattice.api.apps.Output;
import dev.lattice.api.apps.Param;
import dev.lattice.api.apps.ParamType;
import dev.lattice.api.auth.AuthCommands;
import dev.lattice.api.auth.ApiKey;
import dev.lattice.api.auth.SigningKey;
import dev.lattice.api.models.ModelBinding;
import dev.lattice.api.models.ModelCommands;
import dev.lattice.api.models.ModelConfig;
import dev.lattice.api.models.ModelDeployment;
import dev.lattice.api.models.ModelSignature;
import dev.lattice.api.models.ModelVersion;
import dev.lattice.api.models.Prediction;
import dev.lattice.api.models.contract.Contract;
import dev.lattice.api.models.contract.Postprocess;
import dev.lattice.api.models.contract.Preprocess;
import dev.lattice.api.models.contract.Rows;
import dev.lattice.api.models.contract.Scale;
import dev.lattice.api.models.contract.Threshold;
import dev.lattice.api.monitor.HealthReport;
import dev.lattice.api.monitor.MonitorCommands;
import dev.lattice.api.monitor.Webhook;
import dev.lattice.api.monitor.WebhookDelivery;
import dev.lattice.api.repository.Endpoint;
import dev.lattice.api.repository.RepositoryCommands;
import dev.lattice.api.repository.Stored;
import dev.lattice.api.scheduler.InstanceSchedule;
import dev.lattice.api.scheduler.Schedule;
import dev.lattice.api.scheduler.ScheduleState;
import dev.lattice.api.sensors.CommandSpec;
import dev.lattice.api.sensors.ControllerCommand;
import dev.lattice.api.sensors.ControllerType;
import dev.lattice.api.sensors.Device;
import dev.lattice.api.sensors.FieldSpec;
import dev.lattice.api.sensors.FieldType;
import dev.lattice.api.sensors.InstanceQuery;
import dev.lattice.api.sensors.Location;
import dev.lattice.api.sensors.Reading;
import dev.lattice.api.sensors.SensorCommands;
import dev.lattice.api.sensors.SensorType;
import dev.lattice.api.sensors.Simulator;
import dev.lattice.core.AppScope;
import dev.lattice.core.Json;
import dev.lattice.core.Role;
import dev.lattice.workloads.DeployerCommands;
import dev.lattice.workloads.Deployment;
import dev.lattice.workloads.Resources;
import dev.lattice.workloads.WorkloadSpec;
import java.io.IOException;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every record of the api travels as JSON (on Kafka, or over HTTP through the gateway), so each
 * comes back from the project's mapper equal to what was written. The last test makes this list
 * complete: a record added to the api without a sample here fails the build.
 */
class RecordsJsonTest {
    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
    private static final Instant T1 = Instant.parse("2030-01-01T00:00:01.5Z");
    private static final String SHA = "a".repeat(64);

    /**
     * Records that never travel as Jackson JSON, and why; everything else needs a sample.
     * The contract's records have a text format of their own, round-tripped in {@link #contractsRoundTripThroughTheirOwnJson}.
     */
    private static final Map<Class<?>, String> NOT_JSON = Map.of(
            InstanceQuery.class, "made from URL parameters at the gateway, never serialised",
            Rows.class, "a contract's rows in memory, on their way into a model",
            Contract.class, "own format (Contract.parse / toJson)",
            Preprocess.class, "part of a contract",
            Postprocess.class, "part of a contract",
            Scale.class, "part of a contract",
            Threshold.class, "part of a contract");

    private static final AppConfig APP_CONFIG = AppConfig.parse("""
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

    /** One sample of each record, keyed by its class. */
    static Map<Class<?>, Object> samples() {
        Map<Class<?>, Object> s = new LinkedHashMap<>();
        // auth
        s.put(SigningKey.class, new SigningKey("k1", "{\"kty\":\"EC\"}", T0, T1));
        s.put(AuthCommands.Login.class, new AuthCommands.Login("ada", "correct horse"));
        s.put(AuthCommands.LoginResponse.class, new AuthCommands.LoginResponse("eyJ.x.y", Role.ADMIN, T1));
        s.put(AuthCommands.Assertion.class, new AuthCommands.Assertion("eyJ.a.b", T1));
        s.put(AuthCommands.CreateUser.class, new AuthCommands.CreateUser("bob", "battery staple", Role.END_USER));
        s.put(AuthCommands.UserSummary.class, new AuthCommands.UserSummary("bob", Role.END_USER));
        s.put(ApiKey.class, new ApiKey("a1b2c3d4e5f6", "ci", "bob", Role.END_USER, SHA, T0, T1));
        s.put(ApiKey.Info.class, new ApiKey.Info("a1b2c3d4e5f6", "ci", "bob", Role.END_USER, T0, T1));
        s.put(AuthCommands.NewApiKey.class, new AuthCommands.NewApiKey("ci", Role.END_USER, T1));
        s.put(AuthCommands.IssuedApiKey.class, new AuthCommands.IssuedApiKey("a1b2c3d4e5f6", "ltk_a1b2c3d4e5f6_x", "ci", Role.END_USER, T1));
        s.put(AuthCommands.ApiKeyId.class, new AuthCommands.ApiKeyId("a1b2c3d4e5f6"));
        // repository
        s.put(Stored.class, new Stored(SHA, 1234, true));
        s.put(RepositoryCommands.Staged.class, new RepositoryCommands.Staged(List.of(SHA, "b".repeat(64))));
        s.put(Endpoint.class, new Endpoint("repository", "http://127.0.0.1:8081", "repository-1", T0, "key"));
        // monitor
        s.put(Webhook.class, new Webhook("w1", "http://127.0.0.1:9/hook", List.of("*"), "0123456789abcdef", "admin", T0));
        s.put(Webhook.Info.class, new Webhook.Info("w1", "http://127.0.0.1:9/hook", List.of("hung", "oom-killed"), "admin", T0));
        s.put(MonitorCommands.NewWebhook.class, new MonitorCommands.NewWebhook("https://example.org/h", List.of("*"), "0123456789abcdef"));
        s.put(MonitorCommands.WebhookId.class, new MonitorCommands.WebhookId("w1"));
        s.put(WebhookDelivery.Attempt.class, new WebhookDelivery.Attempt(T0, 500, "HTTP 500"));
        s.put(WebhookDelivery.class, new WebhookDelivery("w1", 42, Json.MAPPER.createObjectNode().put("kind", "hung"),
                WebhookDelivery.Status.PENDING, List.of(new WebhookDelivery.Attempt(T0, 0, "connection refused")), T0, T1));
        s.put(HealthReport.InstanceHealth.class, new HealthReport.InstanceHealth("sensors-1", "node-a", "UP", T1));
        s.put(HealthReport.ServiceHealth.class, new HealthReport.ServiceHealth("sensors", "UP",
                List.of(new HealthReport.InstanceHealth("sensors-1", "node-a", "UP", T1))));
        s.put(HealthReport.class, new HealthReport(HealthReport.DEGRADED, List.of(new HealthReport.ServiceHealth("sensors", "DOWN", List.of())), T1));
        // sensors
        Location location = new Location("hall 1", 52.5, 13.4);
        FieldSpec celsius = new FieldSpec("celsius", FieldType.NUMBER);
        Simulator.Shape shape = new Simulator.Shape(20.0, 22.0, null, null, null, null);
        Simulator simulator = new Simulator("random", 100L, Map.of("celsius", shape), null);
        ObjectNode values = Json.MAPPER.createObjectNode().put("celsius", 21.5);
        s.put(FieldSpec.class, celsius);
        s.put(Location.class, location);
        s.put(Simulator.Shape.class, shape);
        s.put(Simulator.class, simulator);
        s.put(SensorType.class, new SensorType("thermo", "a thermometer", List.of(celsius)));
        s.put(CommandSpec.class, new CommandSpec("open", List.of(new FieldSpec("percent", FieldType.INTEGER))));
        s.put(ControllerType.class, new ControllerType("valve", "", List.of(new CommandSpec("open", List.of()))));
        s.put(Device.class, new Device("t1", "thermo", location, Map.of("floor", 2, "zone", "a"), simulator, SHA, T0, "ada"));
        s.put(Device.View.class, new Device.View("t1", "thermo", location, Map.of("floor", 2), null, T0, "ltd_t1_secret"));
        s.put(Reading.class, new Reading("t1", T1, values));
        s.put(Reading.View.class, new Reading.View(T1, values));
        s.put(ControllerCommand.class, new ControllerCommand("c1", "v1", "open", Json.MAPPER.createObjectNode().put("percent", 50),
                ControllerCommand.Status.DELIVERED, T0, T1, "ada", null));
        s.put(SensorCommands.Delete.class, new SensorCommands.Delete("thermo"));
        s.put(SensorCommands.CreateInstance.class, new SensorCommands.CreateInstance("thermo", "t1", location, Map.of("floor", 2), simulator));
        s.put(SensorCommands.SendCommand.class, new SensorCommands.SendCommand("v1", "open", Json.MAPPER.createObjectNode().put("percent", 50)));
        s.put(SensorCommands.CommandAccepted.class, new SensorCommands.CommandAccepted("c1"));
        // models
        ModelConfig modelConfig = new ModelConfig("anomaly", "2", "onnx", 2, new Resources(0.5, 256),
                Json.MAPPER.createObjectNode().put("pump", "p1").put("rpm", 1200), new ModelConfig.ContractCaps(500, 128));
        s.put(ModelConfig.class, modelConfig);
        s.put(ModelConfig.ContractCaps.class, new ModelConfig.ContractCaps(500, 128));
        s.put(ModelDeployment.Canary.class, new ModelDeployment.Canary("3", 20, 0.05, 50));
        s.put(ModelVersion.class, new ModelVersion("anomaly", "2", modelConfig, new WorkloadSpec.Artefact(SHA, "model.onnx"),
                "c".repeat(64), "def preprocess(r): ...", Map.of("inputs", List.of("x")), "ada", T0, ModelVersion.PYTHON));
        s.put(ModelDeployment.class, new ModelDeployment("anomaly", "2", 2, true, "ada", T1,
                new ModelDeployment.Canary("3", 20, 0.05, 50)));
        s.put(ModelCommands.AddVersion.class, new ModelCommands.AddVersion(modelConfig, SHA, "c".repeat(64), "model.onnx", ModelVersion.PYTHON));
        s.put(ModelCommands.Deploy.class, new ModelCommands.Deploy("anomaly", "2", 3, new ModelDeployment.Canary("3", 10, null, null)));
        s.put(ModelCommands.Bind.class, new ModelCommands.Bind("anomaly", List.of("t1", "t2")));
        s.put(ModelBinding.class, new ModelBinding("anomaly", List.of("t1"), "ada", T0));
        s.put(Prediction.class, new Prediction("t1", T0, "anomaly", "2", Json.MAPPER.createObjectNode().put("rpm", 1200),
                Json.MAPPER.createObjectNode().put("label", "normal")));
        s.put(Prediction.View.class, new Prediction("t1", T0, "anomaly", "2", Json.MAPPER.createObjectNode().put("rpm", 1200),
                Json.MAPPER.createObjectNode().put("label", "normal")).view());
        s.put(ModelCommands.EndCanary.class, new ModelCommands.EndCanary("anomaly", "error rate 0.4 over 0.1"));
        s.put(ModelCommands.Undeploy.class, new ModelCommands.Undeploy("anomaly"));
        ModelSignature.Tensor input = new ModelSignature.Tensor("x", "FP32", List.of(-1L, 4L));
        s.put(ModelSignature.Tensor.class, input);
        s.put(ModelSignature.class, new ModelSignature(List.of(input), List.of(new ModelSignature.Tensor("y", "SEQUENCE", List.of()))));
        // scheduler
        Schedule schedule = Schedule.cron("*/10 * * * * ?").withWindow(T0, T0.plusSeconds(3600)).withDurationSeconds(4);
        ScheduleState state = new ScheduleState(T0, T1, T1, T1, 3, 1, 0);
        InstanceSchedule.Run run = new InstanceSchedule.Run(T0, T1, 1500, false, T1.plusSeconds(4), "duration elapsed");
        s.put(Schedule.class, schedule);
        s.put(ScheduleState.class, state);
        s.put(InstanceSchedule.Run.class, run);
        s.put(InstanceSchedule.class, new InstanceSchedule("guard-abc123", state, false, T1.plusSeconds(10), List.of(run)));
        // apps
        WorkloadSpec.Artefact artefact = AppCommands.artefactOf(AppRuntime.COMMAND, SHA);
        var deployment = new DeployerCommands.Create("app-guard-abc123", Deployment.APP, List.of("python3", "app.py"), null, 1,
                new Resources(0.1, 64), null, Map.of("LATTICE_INSTANCE", "guard-abc123"), artefact, null);
        s.put(AppConfig.class, APP_CONFIG);
        s.put(Binding.class, new Binding("probe", "machine", 1, 2));
        s.put(Param.class, new Param("level", ParamType.INTEGER, 3));
        s.put(AppVersion.class, new AppVersion("guard", "1", APP_CONFIG, artefact, null, "dev", T0));
        s.put(AppInstance.class, new AppInstance("guard-abc123", "guard", "1", "eu", Map.of("probe", List.of("m1"), "valve", List.of("v1")),
                Map.of("level", 3), APP_CONFIG.schedule(), new AppScope("guard-abc123", Set.of("m1"), Set.of("v1"), Set.of("anomaly")),
                "b".repeat(64), deployment, T1));
        s.put(Output.class, new Output("guard-abc123", T1, Json.MAPPER.createObjectNode().put("alarm", true)));
        s.put(Output.View.class, new Output.View(T1, Json.MAPPER.createObjectNode().put("alarm", true)));
        s.put(AppCommands.AddVersion.class, new AppCommands.AddVersion(APP_CONFIG, SHA));
        s.put(AppCommands.CreateInstance.class, new AppCommands.CreateInstance("guard", Map.of("probe", List.of("m1")), Map.of("level", 3),
                Json.MAPPER.createObjectNode().put("cron", "*/10 * * * * ?")));
        s.put(AppCommands.DeleteInstance.class, new AppCommands.DeleteInstance("guard-abc123"));
        s.put(AppCommands.Created.class, new AppCommands.Created("guard-abc123", "running"));
        return s;
    }

    @Test
    void everySampleComesBackEqual() {
        samples().forEach((type, value) -> assertThat(Json.read(Json.bytes(value), type)).as(type.getName()).isEqualTo(value));
    }

    @Test
    void aReadingWrittenByHandReadsBackEqual() {
        Reading reading = (Reading) samples().get(Reading.class);
        assertThat(Json.read(reading.toJson(), Reading.class)).isEqualTo(reading);
        assertThat(Reading.tsOf(reading.toJson())).isEqualTo(reading.ts());
    }

    @Test
    void anOutputTellsItsTimeAndAnAppsArtefactIsUnpacked() {
        Output output = (Output) samples().get(Output.class);
        assertThat(Output.tsOf(Json.bytes(output))).isEqualTo(output.ts());
        assertThat(((AppInstance) samples().get(AppInstance.class)).deployment().artefact().unpack()).isTrue();
    }

    @Test
    void contractsRoundTripThroughTheirOwnJson() {
        Contract contract = Contract.parse("""
                preprocess: {input: features, fields: [sex, age], encode: {sex: {male: 0, female: 1}}, impute: {age: 29.7},
                             scale: {age: {mean: 29.7, std: 14.5}}}
                postprocess: {output: score, threshold: {value: 0.5, labels: [died, survived]}}
                """);
        assertThat(contract.postprocess().threshold()).isEqualTo(new Threshold(0.5, List.of("died", "survived")));
        assertThat(Contract.parse(contract.toJson())).isEqualTo(contract);
    }

    @Test
    void everyRecordOfTheApiHasASampleOrAReasonNotTo() throws IOException, URISyntaxException {
        Set<String> missing = new TreeSet<>();
        Map<Class<?>, Object> samples = samples();
        for (Class<?> type : apiClasses()) {
            if (!type.isRecord() || !Modifier.isPublic(type.getModifiers())) continue;
            if (!samples.containsKey(type) && !NOT_JSON.containsKey(type)) missing.add(type.getName());
        }
        assertThat(missing).as("records of the api with no sample in RecordsJsonTest.samples()").isEmpty();
    }

    /** The api's own classes, from the folder (or jar) RecordsJsonTest's subject was loaded from. */
    private static List<Class<?>> apiClasses() throws IOException, URISyntaxException {
        Path root = Path.of(AppInstance.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertThat(root).as("the api's classes as a folder (run from the build)").isDirectory();
        try (Stream<Path> files = Files.walk(root)) {
            List<String> names = files.map(p -> root.relativize(p).toString().replace('\\', '/'))
                    .filter(n -> n.startsWith("dev/lattice/api/") && n.endsWith(".class") && !n.endsWith("package-info.class"))
                    .map(n -> n.substring(0, n.length() - ".class".length()).replace('/', '.'))
                    .toList();
            assertThat(names).as("api classes found").isNotEmpty();
            return names.stream().<Class<?>>map(RecordsJsonTest::load).toList();
        }
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, RecordsJsonTest.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(name, e);
        }
    }
}
