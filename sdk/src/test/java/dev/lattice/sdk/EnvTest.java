package dev.lattice.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EnvTest {
    static Map<String, String> valid() {
        Map<String, String> env = new HashMap<>();
        env.put("LATTICE_URL", "http://gateway:8080/");
        env.put("LATTICE_TOKEN", "secret-token");
        env.put("LATTICE_INSTANCE", "ai-1");
        env.put("LATTICE_BINDINGS", "{\"machine\":[\"s-1\"],\"alarm\":[\"c-1\",\"c-2\"],\"spare\":[]}");
        env.put("LATTICE_PARAMS", "{\"quiet\":true,\"limit\":3,\"ratio\":0.5,\"label\":\"hall\",\"big\":12345678901}");
        return env;
    }

    private static Map<String, String> with(String name, String value) {
        Map<String, String> env = valid();
        if (value == null) env.remove(name);
        else env.put(name, value);
        return env;
    }

    @Test
    void readsEveryVariableOfTheContract() {
        Env env = Env.parse(valid());
        assertThat(env.url()).isEqualTo(URI.create("http://gateway:8080"));
        assertThat(env.token()).isEqualTo("secret-token");
        assertThat(env.instance()).isEqualTo("ai-1");
        assertThat(env.bindings()).containsExactly(Map.entry("machine", List.of("s-1")),
                Map.entry("alarm", List.of("c-1", "c-2")), Map.entry("spare", List.of()));
        assertThat(env.params()).containsExactly(Map.entry("quiet", true), Map.entry("limit", 3L), Map.entry("ratio", 0.5),
                Map.entry("label", "hall"), Map.entry("big", 12345678901L));
    }

    @Test
    void keepsAPathUnderTheBaseUrl() {
        assertThat(Env.parse(with("LATTICE_URL", "https://example.org/lattice/")).url()).isEqualTo(URI.create("https://example.org/lattice"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"LATTICE_URL", "LATTICE_TOKEN", "LATTICE_INSTANCE", "LATTICE_BINDINGS", "LATTICE_PARAMS"})
    void namesAMissingVariable(String name) {
        assertThatThrownBy(() -> Env.parse(with(name, null))).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith(name + ": is not set");
        assertThatThrownBy(() -> Env.parse(with(name, "  "))).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith(name + ": is not set");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "LATTICE_URL|localhost:8080|is not an http(s) base URL",
            "LATTICE_URL|ftp://gateway/|is not an http(s) base URL",
            "LATTICE_URL|http://gate way|is not a URL",
            "LATTICE_URL|http://gateway:8080/?x=1|is not an http(s) base URL",
            "LATTICE_BINDINGS|{machine: s-1}|not valid JSON",
            "LATTICE_BINDINGS|{\"a\":[\"s-1\"]} trailing|not valid JSON",
            "LATTICE_BINDINGS|[\"s-1\"]|expected a JSON object of binding name to a list of instance ids",
            "LATTICE_BINDINGS|{\"machine\":\"s-1\"}|'machine' is a string",
            "LATTICE_BINDINGS|{\"machine\":[1]}|'machine' holds a number where an id belongs",
            "LATTICE_BINDINGS|{\"machine\":[\"s-1\"],\"machine\":[\"s-2\"]}|not valid JSON",
            "LATTICE_PARAMS|[1,2]|expected a JSON object of param name to value",
            "LATTICE_PARAMS|{\"quiet\":|not valid JSON",
    })
    void namesAMalformedVariable(String name, String value, String message) {
        assertThatThrownBy(() -> Env.parse(with(name, value))).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith(name + ": ").hasMessageContaining(message);
    }

    @Test
    void neverPrintsTheToken() {
        assertThat(Env.parse(valid()).toString()).doesNotContain("secret-token").contains("ai-1");
        assertThatThrownBy(() -> Env.parse(with("LATTICE_BINDINGS", "nope"))).hasMessageNotContaining("secret-token");
    }
}
