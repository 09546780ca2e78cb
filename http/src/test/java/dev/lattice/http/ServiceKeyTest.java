package dev.lattice.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ServiceKeyTest {
    @Test
    void makesFreshKeysOf256Bits() {
        String a = ServiceKey.generate();

        assertThat(a).hasSize(43).matches("[A-Za-z0-9_-]+");
        assertThat(ServiceKey.generate()).isNotEqualTo(a);
    }

    @Test
    void matchesTheKeyOnlyAndNeverShowsIt() {
        String key = ServiceKey.generate();
        ServiceKey check = ServiceKey.of(key);

        assertThat(check.matches(key)).isTrue();
        assertThat(check.matches(null)).isFalse();
        assertThat(check.matches("")).isFalse();
        assertThat(check.matches(key.substring(1))).isFalse();
        assertThat(check.matches(key + "x")).isFalse();
        assertThat(check.toString()).doesNotContain(key);
        assertThatThrownBy(() -> ServiceKey.of("short")).isInstanceOf(IllegalArgumentException.class);
    }
}
