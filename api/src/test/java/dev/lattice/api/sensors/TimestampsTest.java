package dev.lattice.api.sensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lattice.core.Json;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TimestampsTest {
    @Test
    void readsTheUtcFormByHandExactlyAsTheJdkDoes() {
        Random random = new Random(7);
        for (int i = 0; i < 10_000; i++) {
            Instant t = Instant.ofEpochSecond(random.nextLong(0, 4_102_444_800L), random.nextInt(1_000_000_000));
            String[] forms = {t.toString(), t.truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString(),
                    t.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString()};
            for (String s : forms) {
                assertThat(Timestamps.utc(s)).as(s).isEqualTo(Instant.parse(s));
            }
        }
    }

    @Test
    void leavesOtherFormsToTheJdk() {
        assertThat(Timestamps.parse("2026-01-02T03:04:05+01:00")).isEqualTo(Instant.parse("2026-01-02T02:04:05Z"));
        assertThat(Timestamps.utc("2026-02-30T00:00:00Z")).isNull();
        assertThatThrownBy(() -> Timestamps.parse("2026-02-30T00:00:00Z")).isInstanceOf(DateTimeParseException.class);
        assertThatThrownBy(() -> Timestamps.parse("yesterday")).isInstanceOf(DateTimeParseException.class);
        assertThat(Timestamps.utc("2026-01-02T03:04:05.Z")).isNull();
    }

    @Test
    void aReadingWritesTheSameJsonAsJackson() {
        ObjectNode values = Json.MAPPER.createObjectNode().put("celsius", 21.5).put("ok", true);
        Reading r = new Reading("s-1", Instant.parse("2026-11-25T12:00:00.123456Z"), values);
        assertThat(Json.read(r.toJson(), Reading.class)).isEqualTo(r);
        assertThat(new String(r.toJson())).isEqualTo(Json.string(r));
    }
}
