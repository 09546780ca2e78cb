package dev.lattice.api.sensors;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lattice.core.Json;
import dev.lattice.core.LatticeException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The streaming path against the definition ({@link ReadingValidator#readings} then
 * {@link Reading#toJson}): the same records for every body it takes, and every other body left to
 * the definition, so each refusal keeps its exact 400.
 */
class ReadingRecordsTest {
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private static final SensorType TYPE = new SensorType("weather", "", List.of(
            new FieldSpec("celsius", FieldType.NUMBER), new FieldSpec("count", FieldType.INTEGER),
            new FieldSpec("raining", FieldType.BOOLEAN), new FieldSpec("label", FieldType.STRING)));
    private static final String OK = "\"celsius\":1,\"count\":1,\"raining\":true,\"label\":\"a\"";

    /** What the definition makes of {@code body}: the records' JSON, or the refusal's code and message. */
    private static String definition(String body) {
        try {
            List<Reading> r = ReadingValidator.readings(TYPE, "s1", Json.parse(bytes(body), JsonNode.class), NOW);
            return String.join("\n", r.stream().map(x -> new String(x.toJson(), StandardCharsets.UTF_8)).toList());
        } catch (LatticeException e) {
            return e.status() + " " + e.code() + " " + e.getMessage();
        }
    }

    private static String records(String body) {
        try {
            List<byte[]> r = ReadingRecords.of(TYPE, "s1", bytes(body), NOW);
            return String.join("\n", r.stream().map(x -> new String(x, StandardCharsets.UTF_8)).toList());
        } catch (LatticeException e) {
            return e.status() + " " + e.code() + " " + e.getMessage();
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void writesWhatTheDefinitionWritesForEveryValidBody() {
        List<String> valid = List.of(
                "{\"celsius\":21.5,\"count\":3,\"raining\":false,\"label\":\"x\"}",
                "{\"label\":\"é \\\" \\n \\u0001 ü\",\"raining\":true,\"ts\":\"2026-01-02T03:04:05+01:00\",\"count\":2.0,\"celsius\":1}",
                "{" + OK + ",\"ts\":null}",
                "{\"celsius\":1e3,\"count\":9007199254740991,\"raining\":false,\"label\":\"\"}",
                "{\"celsius\":-0.0,\"count\":-2147483649,\"raining\":false,\"label\":\"b\"}",
                "{\"celsius\":12345678901234567890,\"count\":123456789012345678901234567890,\"raining\":false,\"label\":\"c\"}",
                "{\"celsius\":0.1,\"count\":-1E2,\"raining\":false,\"label\":\"" + "z".repeat(FieldType.MAX_STRING) + "\"}",
                " [ {" + OK + "} , {" + OK + ",\"ts\":\"1970-01-01T00:00:00Z\"} ] ",
                "[" + ("{" + OK + "},").repeat(ReadingValidator.MAX_BATCH - 1) + "{" + OK + "}]");
        for (String body : valid) {
            assertThat(definition(body)).as(body).doesNotStartWith("400");
            assertThat(ReadingRecords.fast(TYPE, "s1", bytes(body), NOW)).as("taken by the fast path: " + body).isNotNull();
            assertThat(records(body)).as(body).isEqualTo(definition(body));
        }
    }

    @Test
    void leavesEveryOtherBodyToTheDefinitionAndItsExactRefusal() {
        List<String> invalid = List.of(
                "", "null", "42", "\"x\"", "[]", "[42]", "{}", "{" + OK + "} {}", "{" + OK + "}]", "{" + OK,
                "{" + OK + ",\"celsius\":2}", "{" + OK + ",\"ts\":\"2026-01-01T00:00:00Z\",\"ts\":null}",
                "{\"count\":1,\"raining\":true,\"label\":\"a\"}", "{\"celsius\":null,\"count\":1,\"raining\":true,\"label\":\"a\"}",
                "{\"celsius\":\"warm\",\"count\":1,\"raining\":true,\"label\":\"a\"}",
                "{\"celsius\":1e400,\"count\":1,\"raining\":true,\"label\":\"a\"}",
                "{\"celsius\":1" + "0".repeat(400) + ",\"count\":1,\"raining\":true,\"label\":\"a\"}",
                "{\"celsius\":1,\"count\":1.5,\"raining\":true,\"label\":\"a\"}",
                "{\"celsius\":1,\"count\":1e16,\"raining\":true,\"label\":\"a\"}",
                "{\"celsius\":1,\"count\":true,\"raining\":true,\"label\":\"a\"}",
                "{\"celsius\":1,\"count\":1,\"raining\":\"yes\",\"label\":\"a\"}",
                "{\"celsius\":1,\"count\":1,\"raining\":true,\"label\":7}",
                "{\"celsius\":1,\"count\":1,\"raining\":true,\"label\":\"" + "z".repeat(FieldType.MAX_STRING + 1) + "\"}",
                "{\"celsius\":{\"a\":1},\"count\":1,\"raining\":true,\"label\":\"a\"}",
                "{\"celsius\":[1],\"count\":1,\"raining\":true,\"label\":\"a\"}",
                "{" + OK + ",\"wind\":3}", "{" + OK + ",\"wind\":{\"x\":[1,2]}}",
                "{" + OK + ",\"ts\":\"yesterday\"}", "{" + OK + ",\"ts\":12}", "{" + OK + ",\"ts\":{}}",
                "{" + OK + ",\"ts\":\"1969-12-31T23:59:59Z\"}", "{" + OK + ",\"ts\":\"2026-11-27T12:00:00Z\"}",
                "[{" + OK + "},{" + OK.replace("\"a\"", "1") + "}]", "[{" + OK + "},[]]",
                "[" + ("{" + OK + "},").repeat(ReadingValidator.MAX_BATCH) + "{" + OK + "}]");
        for (String body : invalid) {
            assertThat(ReadingRecords.fast(TYPE, "s1", bytes(body), NOW)).as("left to the definition: " + body).isNull();
            assertThat(definition(body)).as(body).startsWith("400");
            assertThat(records(body)).as(body).isEqualTo(definition(body));
        }
    }
}
