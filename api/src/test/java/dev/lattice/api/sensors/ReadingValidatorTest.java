package dev.lattice.api.sensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lattice.core.Json;
import dev.lattice.core.LatticeException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReadingValidatorTest {
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private static final SensorType TYPE = new SensorType("weather", "", List.of(
            new FieldSpec("celsius", FieldType.NUMBER), new FieldSpec("count", FieldType.INTEGER),
            new FieldSpec("raining", FieldType.BOOLEAN), new FieldSpec("label", FieldType.STRING)));

    private static JsonNode json(String s) {
        return Json.read(s.getBytes(), JsonNode.class);
    }

    private static String rejection(String body) {
        try {
            ReadingValidator.readings(TYPE, "s1", json(body), NOW);
        } catch (LatticeException e) {
            assertThat(e.status()).isEqualTo(400);
            return e.getMessage();
        }
        throw new AssertionError("accepted " + body);
    }

    @Test
    void acceptsAMatchingReadingAndStampsIt() {
        var r = ReadingValidator.readings(TYPE, "s1", json("{\"celsius\":21.5,\"count\":3,\"raining\":false,\"label\":\"x\"}"), NOW);
        assertThat(r).hasSize(1);
        assertThat(r.get(0).ts()).isEqualTo(NOW);
        assertThat(r.get(0).values().get("count").asInt()).isEqualTo(3);
    }

    @Test
    void keepsTheDevicesOwnTimestampAndTakesBatches() {
        var r = ReadingValidator.readings(TYPE, "s1", json("[{\"celsius\":1,\"count\":1,\"raining\":true,\"label\":\"a\",\"ts\":\"2026-01-02T03:04:05+01:00\"},"
                + "{\"celsius\":2,\"count\":2.0,\"raining\":false,\"label\":\"b\"}]"), NOW);
        assertThat(r).extracting(Reading::ts).containsExactly(Instant.parse("2026-01-02T02:04:05Z"), NOW);
        assertThat(r.get(0).values().has("ts")).isFalse();
    }

    @Test
    void namesTheFieldThatDoesNotMatch() {
        String ok = "\"celsius\":1,\"count\":1,\"raining\":true,\"label\":\"a\"";
        assertThat(rejection("{\"celsius\":\"warm\",\"count\":1,\"raining\":true,\"label\":\"a\"}")).startsWith("celsius: expected a number");
        assertThat(rejection("{\"celsius\":1,\"count\":1.5,\"raining\":true,\"label\":\"a\"}")).startsWith("count: expected a whole number");
        assertThat(rejection("{\"celsius\":1,\"count\":1,\"raining\":\"yes\",\"label\":\"a\"}")).startsWith("raining: expected true or false");
        assertThat(rejection("{\"celsius\":1,\"count\":1,\"raining\":true,\"label\":7}")).startsWith("label: expected a string");
        assertThat(rejection("{\"count\":1,\"raining\":true,\"label\":\"a\"}")).startsWith("celsius: is required");
        assertThat(rejection("{" + ok + ",\"wind\":3}")).startsWith("wind: sensor type 'weather' has no such field");
        assertThat(rejection("{" + ok + ",\"ts\":\"yesterday\"}")).startsWith("ts:");
        assertThat(rejection("[{" + ok + "},{" + ok.replace("\"a\"", "1") + "}]")).startsWith("[1].label:");
        assertThat(rejection("[]")).startsWith("body:");
        assertThat(rejection("42")).startsWith("body:");
    }

    @Test
    void checksCommandParameters() {
        CommandSpec open = new CommandSpec("open", List.of(new FieldSpec("percent", FieldType.INTEGER)));
        assertThat(ReadingValidator.params(open, json("{\"percent\":40}")).get("percent").asInt()).isEqualTo(40);
        assertThatThrownBy(() -> ReadingValidator.params(open, json("{}"))).hasMessageStartingWith("params.percent: is required");
        assertThatThrownBy(() -> ReadingValidator.params(open, json("{\"percent\":40,\"speed\":1}"))).hasMessageStartingWith("params.speed:");
        assertThat(ReadingValidator.params(new CommandSpec("stop", null), null)).isEmpty();
    }

    @Test
    void typesCheckTheirOwnShape() {
        assertThatThrownBy(() -> new SensorType("t", "", List.of(new FieldSpec("a", FieldType.NUMBER), new FieldSpec("a", FieldType.STRING))))
                .hasMessageContaining("fields[1].name");
        assertThatThrownBy(() -> new FieldSpec("ts", FieldType.NUMBER)).hasMessageContaining("'ts'");
        assertThatThrownBy(() -> new SensorType("t", "", List.of())).hasMessageStartingWith("fields:");
        assertThatThrownBy(() -> FieldType.parse("float")).hasMessageStartingWith("type: 'float'");
    }
}
