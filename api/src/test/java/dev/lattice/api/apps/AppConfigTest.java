package dev.lattice.api.apps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lattice.core.Json;
import dev.lattice.core.LatticeException;
import dev.lattice.workloads.Resources;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AppConfigTest {
    private static final String YAML = """
            name: thermostat
            version: 1.0
            description: Keeps a room warm
            runtime: command
            command: [python3, main.py, --verbose]
            sensors:
              - {name: room, type: thermometer, min: 1, max: 3}
            controllers:
              - {name: heater, type: heater}
            models: [anomaly]
            params:
              - {name: target, type: number, default: 21}
              - {name: steps, type: integer, default: 3}
              - {name: label, type: string}
              - {name: eco, type: boolean, default: true}
            schedule: {cron: "0 */5 * * * ?", start: "2030-01-01T00:00:00Z", end: "2030-02-01T00:00:00+01:00", durationSeconds: 60}
            resources: {cpu: 0.5, memoryMb: 128, pids: 64}
            notes: ignored
            """;

    @Test
    void readsEveryFieldFromYaml() {
        AppConfig c = AppConfig.parse(YAML.getBytes(StandardCharsets.UTF_8), FakeCatalog.DEFAULT);

        assertThat(c.name()).isEqualTo("thermostat");
        assertThat(c.version()).isEqualTo("1.0");
        assertThat(c.runtime()).isEqualTo(AppRuntime.COMMAND);
        assertThat(c.command()).containsExactly("python3", "main.py", "--verbose");
        assertThat(c.sensors()).containsExactly(new Binding("room", "thermometer", 1, 3));
        assertThat(c.controllers()).containsExactly(Binding.one("heater", "heater"));
        assertThat(c.models()).containsExactly("anomaly");
        assertThat(c.params()).containsExactly(new Param("target", ParamType.NUMBER, 21.0),
                new Param("steps", ParamType.INTEGER, 3L), new Param("label", ParamType.STRING, null),
                new Param("eco", ParamType.BOOLEAN, true));
        assertThat(c.schedule()).isEqualTo(dev.lattice.api.scheduler.Schedule.cron("0 */5 * * * ?")
                .withWindow(Instant.parse("2030-01-01T00:00:00Z"), Instant.parse("2030-01-31T23:00:00Z")).withDurationSeconds(60));
        assertThat(c.resources()).isEqualTo(new Resources(0.5, 128, 64));
    }

    @Test
    void readsJavaConfigFromJsonWithDefaults() {
        AppConfig c = AppConfig.parse("""
                {"name":"logger","version":"2","runtime":"java","sensors":[{"name":"s","type":"thermometer"}]}"""
                .getBytes(StandardCharsets.UTF_8), FakeCatalog.DEFAULT);

        assertThat(c.main()).isNull();
        assertThat(c.command()).isEmpty();
        assertThat(c.description()).isEmpty();
        assertThat(c.sensors()).containsExactly(new Binding("s", "thermometer", 1, 1));
        assertThat(c.controllers()).isEmpty();
        assertThat(c.schedule()).isNull();
        assertThat(c.resources()).isEqualTo(AppConfig.DEFAULT_RESOURCES);
    }

    @Test
    void takesOneCommandStringAsTheProgramAlone() {
        AppConfig c = AppConfig.parse(base(n -> n.put("command", "./run.sh")));

        assertThat(c.command()).containsExactly("./run.sh");
    }

    @Test
    void roundTripsThroughJson() {
        AppConfig c = AppConfig.parse(YAML.getBytes(StandardCharsets.UTF_8));

        assertThat(Json.read(Json.bytes(c), AppConfig.class)).isEqualTo(c);
        assertThat(Json.tree(c).get("params").get(0).get("default").asDouble()).isEqualTo(21.0);
        assertThat(Json.tree(c).get("runtime").asText()).isEqualTo("command");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mistakes")
    void rejectsEachMistakeNamingItsPlace(String message, String code, Consumer<ObjectNode> mistake) {
        assertThatThrownBy(() -> AppConfig.parse(base(mistake), FakeCatalog.DEFAULT))
                .isInstanceOfSatisfying(LatticeException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.code()).isEqualTo(code);
                    assertThat(e.getMessage()).startsWith(message);
                });
    }

    static Stream<Arguments> mistakes() {
        return Stream.of(
                bad("config: 'name' is missing", "apps:config.name", n -> n.remove("name")),
                bad("config.name: 'Thermo_Stat' must match", "apps:config.name", n -> n.put("name", "Thermo_Stat")),
                bad("config.name: at most 40", "apps:config.name", n -> n.put("name", "a".repeat(41))),
                bad("config.name: a string, not object", "apps:config.name", n -> n.putObject("name")),
                bad("config: 'version' is missing", "apps:config.version", n -> n.remove("version")),
                bad("config.version: letters, digits", "apps:config.version", n -> n.put("version", "1 0")),
                bad("config.description: at most 2000", "apps:config.description", n -> n.put("description", "x".repeat(2001))),
                bad("config: 'runtime' is missing", "apps:config.runtime", n -> n.remove("runtime")),
                bad("config.runtime: 'java' or 'command', not 'python'", "apps:config.runtime", n -> n.put("runtime", "python")),
                bad("config: 'command' is missing", "apps:config.command", n -> n.remove("command")),
                bad("config: 'command' is missing", "apps:config.command", n -> n.putArray("command")),
                bad("config.command[0]: the program to run is required", "apps:config.command", n -> n.putArray("command").add(" ")),
                bad("config.command[1]: a string, not object", "apps:config.command", n -> n.putArray("command").add("x").addObject()),
                bad("config.command: a list of strings, not object", "apps:config.command", n -> n.putObject("command")),
                bad("config.main: only for runtime 'java'", "apps:config.main", n -> n.put("main", "a.Main")),
                bad("config.command: only for runtime 'command'", "apps:config.command", n -> n.put("runtime", "java")),
                bad("config.main: a fully qualified class name", "apps:config.main", n -> java(n).put("main", "a.1Main")),
                bad("config.sensors: a list, not object", "apps:config.sensors", n -> n.putObject("sensors")),
                bad("config.sensors[1]: an object {name, type", "apps:config.sensors", n -> sensors(n).add("room")),
                bad("config.sensors[1].name: is required", "apps:config.sensors", n -> sensors(n).addObject().put("type", "thermometer")),
                bad("config.sensors[1].name: 'a b' must match", "apps:config.sensors", n -> sensor(n, "a b", "thermometer")),
                bad("config.sensors[1].type: is required", "apps:config.sensors", n -> sensors(n).addObject().put("name", "b")),
                bad("config.sensors[1].type: 'Thermo' must match", "apps:config.sensors", n -> sensor(n, "b", "Thermo")),
                bad("config.sensors[1].max: 0 is less than min 1", "apps:config.sensors", n -> sensor(n, "b", "thermometer").put("max", 0)),
                bad("config.sensors[1].min: at least 0, not -1", "apps:config.sensors", n -> sensor(n, "b", "thermometer").put("min", -1)),
                bad("config.sensors[1].max: at most 100, not 101", "apps:config.sensors", n -> sensor(n, "b", "thermometer").put("max", 101)),
                bad("config.sensors[1].max: 2 is less than min 3", "apps:config.sensors", n -> sensor(n, "b", "thermometer").put("min", 3).put("max", 2)),
                bad("config.sensors[1].max: at least 1", "apps:config.sensors", n -> sensor(n, "b", "thermometer").put("min", 0).put("max", 0)),
                bad("config.sensors[1].min: a whole number 0..100, not \"two\"", "apps:config.sensors.min", n -> sensor(n, "b", "thermometer").put("min", "two")),
                bad("config.sensors[1].max: a whole number 0..100, not 1.5", "apps:config.sensors.max", n -> sensor(n, "b", "thermometer").put("max", 1.5)),
                bad("config.sensors[1].name: 'room' is already the name of config.sensors[0]", "apps:config.sensors", n -> sensor(n, "room", "thermometer")),
                bad("config.controllers[0].name: 'room' is already the name of config.sensors[0]", "apps:config.controllers",
                        n -> ((ObjectNode) n.withArray("controllers").get(0)).put("name", "room")),
                bad("config.sensors[1].type: there is no sensor type 'barometer'", "apps:config.sensors", n -> sensor(n, "b", "barometer")),
                bad("config.controllers[0].type: there is no controller type 'thermometer'", "apps:config.controllers",
                        n -> ((ObjectNode) n.withArray("controllers").get(0)).put("type", "thermometer")),
                bad("config.models[1]: there is no model 'forecast'", "apps:config.models", n -> n.withArray("models").add("forecast")),
                bad("config.models[1]: 'anomaly' is listed twice", "apps:config.models", n -> n.withArray("models").add("anomaly")),
                bad("config.models[1]: 'Big Model' must match", "apps:config.models", n -> n.withArray("models").add("Big Model")),
                bad("config.models: a list, not string", "apps:config.models", n -> n.put("models", "anomaly")),
                bad("config.params[1].type: one of string, number, integer, boolean, not 'float'", "apps:config.params",
                        n -> param(n, "b", "float")),
                bad("config.params[1].type: is required", "apps:config.params", n -> n.withArray("params").addObject().put("name", "b")),
                bad("config.params[1].name: is required", "apps:config.params", n -> n.withArray("params").addObject().put("type", "string")),
                bad("config.params[1].name: 'target' is already a param", "apps:config.params", n -> param(n, "target", "string")),
                bad("config.params[1].default: 'warm' is not a number", "apps:config.params", n -> param(n, "b", "number").put("default", "warm")),
                bad("config.params[1].default: 2.5 is not an integer", "apps:config.params", n -> param(n, "b", "integer").put("default", 2.5)),
                bad("config.params[1].default: 1 is not a boolean", "apps:config.params", n -> param(n, "b", "boolean").put("default", 1)),
                bad("config.params[1].default: true is not a string", "apps:config.params", n -> param(n, "b", "string").put("default", true)),
                bad("config.params[1].default: a string, number or boolean, not array", "apps:config.params",
                        n -> param(n, "b", "string").putArray("default")),
                bad("config.schedule: give exactly one of 'cron' and 'at'", "apps:config.schedule", n -> n.putObject("schedule")),
                bad("config.schedule.cron: must not be empty", "apps:config.schedule", n -> n.putObject("schedule").put("cron", " ")),
                bad("config.schedule.cron: not a Quartz cron with seconds", "apps:config.schedule", n -> n.putObject("schedule").put("cron", "*/5 * * * *")),
                bad("config.schedule: give exactly one of 'cron' and 'at'", "apps:config.schedule",
                        n -> n.putObject("schedule").put("cron", "0 * * * * ?").put("at", "2030-01-01T00:00:00Z")),
                bad("config.schedule.at: must be an ISO-8601 time with a zone offset", "apps:config.schedule",
                        n -> n.putObject("schedule").put("at", "2030-01-01T00:00:00")),
                bad("config.schedule.end: must be after schedule.start", "apps:config.schedule",
                        n -> n.putObject("schedule").put("at", "2030-01-01T00:00:00Z").put("start", "2030-01-01T00:00:00Z").put("end", "2030-01-01T01:00:00+01:00")),
                bad("config.schedule.durationSeconds: must be a positive whole number", "apps:config.schedule",
                        n -> n.putObject("schedule").put("at", "2030-01-01T00:00:00Z").put("durationSeconds", 0)),
                bad("config.schedule.durationSeconds: must be a positive whole number", "apps:config.schedule",
                        n -> n.putObject("schedule").put("at", "2030-01-01T00:00:00Z").put("durationSeconds", "1m")),
                bad("config.schedule: must be an object with 'cron' or 'at'", "apps:config.schedule", n -> n.put("schedule", "hourly")),
                bad("config.resources.cpu: must be 0..1024 cores, not -1.0", "apps:config.resources", n -> n.putObject("resources").put("cpu", -1)),
                bad("config.resources.memoryMb: a whole number, not \"1G\"", "apps:config.resources", n -> n.putObject("resources").put("memoryMb", "1G")),
                bad("config.resources.pids: must be 0..65536 (0: the default, 256), not -1", "apps:config.resources",
                        n -> n.putObject("resources").put("pids", -1)),
                bad("config.resources.pids: must be 0..65536 (0: the default, 256), not 100000", "apps:config.resources",
                        n -> n.putObject("resources").put("pids", 100_000)),
                bad("config.resources.pids: a whole number of processes, not 1.5", "apps:config.resources",
                        n -> n.putObject("resources").put("pids", 1.5)),
                bad("config.resources.pids: a whole number of processes, not \"many\"", "apps:config.resources",
                        n -> n.putObject("resources").put("pids", "many")),
                bad("config.resources: an object {cpu, memoryMb, pids}, not number", "apps:config.resources", n -> n.put("resources", 2)));
    }

    @Test
    void rejectsUnreadableConfigs() {
        assertThat(codeOf("name: [unclosed".getBytes(StandardCharsets.UTF_8))).isEqualTo("apps:config.syntax");
        assertThat(codeOf("- a list".getBytes(StandardCharsets.UTF_8))).isEqualTo("apps:config.syntax");
        assertThat(codeOf(new byte[0])).isEqualTo("apps:config.syntax");
        assertThat(codeOf("name: a\nname: b\n".getBytes(StandardCharsets.UTF_8))).isEqualTo("apps:config.syntax");
        assertThat(codeOf(new byte[AppConfig.MAX_BYTES + 1])).isEqualTo("apps:config.size");
    }

    @Test
    void checksReferencesOnlyWhenAskedTo() {
        byte[] text = base(n -> sensor(n, "b", "barometer"));

        assertThat(AppConfig.parse(text).sensors()).hasSize(2);
        assertThatThrownBy(() -> AppConfig.parse(text).requireKnown(new FakeCatalog(Set.of("barometer", "thermometer"), Set.of("heater"), Set.of())))
                .hasMessage("config.models[0]: there is no model 'anomaly'");
    }

    @Test
    void copiesItsLists() {
        List<String> command = new java.util.ArrayList<>(List.of("run"));
        AppConfig c = new AppConfig("a", "1", null, AppRuntime.COMMAND, null, command, null, null, null, null, null, null);
        command.add("more");

        assertThat(c.command()).containsExactly("run");
        assertThatThrownBy(() -> c.sensors().add(Binding.one("x", "y"))).isInstanceOf(UnsupportedOperationException.class);
    }

    private static String codeOf(byte[] text) {
        try {
            AppConfig.parse(text);
        } catch (LatticeException e) {
            assertThat(e.status()).isEqualTo(400);
            return e.code();
        }
        throw new AssertionError("accepted");
    }

    private static Arguments bad(String message, String code, Consumer<ObjectNode> mistake) {
        return Arguments.of(message, code, mistake);
    }

    /** A valid command app's config with one mistake made in it. */
    private static byte[] base(Consumer<ObjectNode> mistake) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("name", "thermostat").put("version", "1.0").put("runtime", "command");
        n.putArray("command").add("./run.sh");
        n.putArray("sensors").addObject().put("name", "room").put("type", "thermometer");
        n.putArray("controllers").addObject().put("name", "heater").put("type", "heater");
        n.putArray("models").add("anomaly");
        n.putArray("params").addObject().put("name", "target").put("type", "number");
        mistake.accept(n);
        return Json.bytes(n);
    }

    private static ObjectNode java(ObjectNode n) {
        n.remove("command");
        return n.put("runtime", "java");
    }

    private static com.fasterxml.jackson.databind.node.ArrayNode sensors(ObjectNode n) {
        return n.withArray("sensors");
    }

    private static ObjectNode sensor(ObjectNode n, String name, String type) {
        return sensors(n).addObject().put("name", name).put("type", type);
    }

    private static ObjectNode param(ObjectNode n, String name, String type) {
        return n.withArray("params").addObject().put("name", name).put("type", type);
    }
}
