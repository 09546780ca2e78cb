package dev.lattice.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvTest {
    private final Env env = Env.of(Map.of("N", " 42 ", "BLANK", "  ", "WORD", "eighty", "BIG", "70000", "ZERO", "0", "D", "PT2S", "ISO_BAD", "2s"));

    @Test
    void readsValuesAndTreatsBlankAsUnset() {
        assertThat(env.number("N", 1)).isEqualTo(42);
        assertThat(env.number("BLANK", 7)).isEqualTo(7);
        assertThat(env.number("MISSING", 7)).isEqualTo(7);
        assertThat(env.string("BLANK")).isEmpty();
        assertThat(env.string("N", "x")).isEqualTo("42");
        assertThat(env.port("N", 80)).isEqualTo(42);
        assertThat(env.millis("N", 5)).isEqualTo(Duration.ofMillis(42));
        assertThat(env.seconds("N", 5)).isEqualTo(Duration.ofSeconds(42));
        assertThat(env.seconds("MISSING", 10)).isEqualTo(Duration.ofSeconds(10));
        assertThat(env.duration("D", Duration.ofDays(1))).isEqualTo(Duration.ofSeconds(2));
        assertThat(env.duration("MISSING", Duration.ofDays(1))).isEqualTo(Duration.ofDays(1));
    }

    @Test
    void aBadValueNamesItsKeyItsValueAndWhatWasExpected() {
        assertThatThrownBy(() -> env.number("WORD", 1)).hasMessage("WORD: 'eighty' is not a whole number");
        assertThatThrownBy(() -> env.port("BIG", 1)).hasMessage("BIG: '70000' is not a port (0 to 65535; 0 picks a free one)");
        assertThatThrownBy(() -> env.millis("ZERO", 1)).hasMessage("ZERO: '0' is not a positive number of milliseconds");
        assertThatThrownBy(() -> env.seconds("ZERO", 1)).hasMessage("ZERO: '0' is not a positive number of seconds");
        assertThatThrownBy(() -> env.duration("ISO_BAD", Duration.ofDays(1))).hasMessage("ISO_BAD: '2s' is not an ISO-8601 duration such as PT30S or P7D");
    }
}
