package dev.lattice.api.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lattice.core.Json;
import dev.lattice.core.LatticeException;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScheduleTest {

    private static Schedule parse(String json) {
        return Schedule.parse(Json.read(json.replace('\'', '"').getBytes(java.nio.charset.StandardCharsets.UTF_8), JsonNode.class));
    }

    @Test
    void readsACronWithWindowAndDuration() {
        Schedule s = parse("{'cron':'*/10 * * * * ?','start':'2030-01-01T08:00:00+02:00','end':'2030-01-02T00:00:00Z','durationSeconds':4}");

        assertThat(s.cron()).hasToString("*/10 * * * * ?");
        assertThat(s.at()).isNull();
        assertThat(s.start()).isEqualTo(Instant.parse("2030-01-01T06:00:00Z"));
        assertThat(s.end()).isEqualTo(Instant.parse("2030-01-02T00:00:00Z"));
        assertThat(s.durationSeconds()).isEqualTo(4);
    }

    @Test
    void readsAnAt() {
        Schedule s = parse("{'at':'2030-01-01T08:00:00Z'}");

        assertThat(s).isEqualTo(Schedule.at(Instant.parse("2030-01-01T08:00:00Z")));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            {'cron':'*/10 * * * *'}                                              | scheduler:schedule.cron     | schedule.cron: not a Quartz cron with seconds
            {'cron':'61 * * * * ?'}                                              | scheduler:schedule.cron     | schedule.cron: not a Quartz cron with seconds
            {'cron':'* * * * * *'}                                               | scheduler:schedule.cron     | schedule.cron: not a Quartz cron with seconds
            {'cron':'every ten seconds'}                                         | scheduler:schedule.cron     | schedule.cron: not a Quartz cron with seconds
            {'cron':' '}                                                         | scheduler:schedule.cron     | schedule.cron: must not be empty
            {'cron':10}                                                          | scheduler:schedule.cron     | schedule.cron: must be a string
            {'at':'tomorrow'}                                                    | scheduler:schedule.at       | schedule.at: must be an ISO-8601 time
            {'at':'2030-01-01T08:00:00'}                                         | scheduler:schedule.at       | schedule.at: must be an ISO-8601 time
            {'cron':'0 * * * * ?','start':'soon'}                                | scheduler:schedule.window   | schedule.start: must be an ISO-8601 time
            {'cron':'0 * * * * ?','start':'2030-01-02T00:00:00Z','end':'2030-01-01T00:00:00Z'} | scheduler:schedule.window | schedule.end: must be after schedule.start
            {'cron':'0 * * * * ?','start':'2030-01-01T00:00:00Z','end':'2030-01-01T00:00:00Z'} | scheduler:schedule.window | schedule.end: must be after schedule.start
            {'cron':'0 * * * * ?','durationSeconds':0}                           | scheduler:schedule.duration | schedule.durationSeconds: must be a positive whole number
            {'cron':'0 * * * * ?','durationSeconds':-4}                          | scheduler:schedule.duration | schedule.durationSeconds: must be a positive whole number
            {'cron':'0 * * * * ?','durationSeconds':1.5}                         | scheduler:schedule.duration | schedule.durationSeconds: must be a positive whole number
            {'cron':'0 * * * * ?','durationSeconds':'4'}                         | scheduler:schedule.duration | schedule.durationSeconds: must be a positive whole number
            {'cron':'0 * * * * ?','durationSeconds':9999999999}                  | scheduler:schedule.duration | schedule.durationSeconds: must be a positive whole number
            {'cron':'0 * * * * ?','at':'2030-01-01T08:00:00Z'}                   | scheduler:schedule.kind     | schedule: give exactly one of 'cron' and 'at'
            {'durationSeconds':4}                                                | scheduler:schedule.kind     | schedule: give exactly one of 'cron' and 'at'
            {'cron':'0 * * * * ?','ends':'2030-01-01T08:00:00Z'}                 | scheduler:schedule.field    | schedule.ends: unknown field
            '''*/10 * * * * ?'''                                                 | scheduler:schedule.kind     | schedule: must be an object
            """)
    void rejectsABadScheduleWith400NamingTheField(String json, String code, String message) {
        assertThatThrownBy(() -> parse(json))
                .isInstanceOfSatisfying(LatticeException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.code()).isEqualTo(code);
                    assertThat(e.getMessage()).startsWith(message);
                });
    }

    record Body(Schedule schedule) {}

    @Test
    void aScheduleNestedInABodyNamesItsFieldThroughJsonParse() {
        byte[] body = "{\"schedule\":{\"cron\":\"*/10 * * * *\"}}".getBytes(java.nio.charset.StandardCharsets.UTF_8);

        assertThatThrownBy(() -> Json.parse(body, Body.class))
                .isInstanceOfSatisfying(LatticeException.class, e -> assertThat(e.getMessage()).startsWith("schedule.cron: not a Quartz"));
    }

    @Test
    void roundTripsThroughJson() {
        Schedule s = Schedule.cron("0 0 8 ? * MON-FRI")
                .withWindow(Instant.parse("2030-01-01T00:00:00Z"), Instant.parse("2030-02-01T00:00:00Z"))
                .withDurationSeconds(600);

        assertThat(Json.string(s)).isEqualTo("{\"cron\":\"0 0 8 ? * MON-FRI\",\"start\":\"2030-01-01T00:00:00Z\","
                + "\"end\":\"2030-02-01T00:00:00Z\",\"durationSeconds\":600}");
        assertThat(Json.MAPPER.convertValue(Json.tree(s), Schedule.class)).isEqualTo(s);
        assertThat(Schedule.parse(Json.tree(s))).isEqualTo(s);
    }

    @Test
    void theStateRoundTripsThroughJson() {
        ScheduleState state = new ScheduleState(Instant.parse("2030-01-01T00:00:00Z"), Instant.parse("2030-01-01T00:00:10Z"),
                Instant.parse("2030-01-01T00:00:10Z"), Instant.parse("2030-01-01T00:00:10.250Z"), 2, 1, 3);

        assertThat(Json.MAPPER.convertValue(Json.tree(state), ScheduleState.class)).isEqualTo(state);
        assertThat(Json.tree(state).has("active")).isFalse();
    }
}
