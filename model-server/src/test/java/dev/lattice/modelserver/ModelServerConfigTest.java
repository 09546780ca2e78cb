package dev.lattice.modelserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelServerConfigTest {
    static final String KEY = ModelServerConfig.KEY_ENV;
    static final String K = Http.KEY;
    @TempDir
    Path dir;

    @Test
    void takesThePortFromTheFlagThenTheEnvironmentThenAnyFreePort() throws Exception {
        Path file = Files.writeString(dir.resolve("m.onnx"), "x");

        assertThat(ModelServerConfig.of("m", "1", file, null, 9000, Map.of("LATTICE_PORT", "9100", KEY, K)).port()).isEqualTo(9000);
        assertThat(ModelServerConfig.of("m", "1", file, null, null, Map.of("LATTICE_PORT", "9100", KEY, K)).port()).isEqualTo(9100);
        assertThat(ModelServerConfig.of("m", "1", file, null, null, Map.of(KEY, K)).port()).isZero();
        assertThat(ModelServerConfig.of("m", "1", file, null, null, Map.of(KEY, K)).host()).isEqualTo("0.0.0.0");
    }

    @Test
    void readsTheContractFromTheEnvironmentOrServesV2Only() throws Exception {
        Path file = Files.writeString(dir.resolve("m.onnx"), "x");
        String contract = "{\"preprocess\":{\"fields\":[\"a\"]},\"postprocess\":{}}";

        assertThat(ModelServerConfig.of("m", "1", file, null, 0, Map.of("LATTICE_MODEL_CONTRACT", contract, KEY, K)).contract().preprocess().fields())
                .containsExactly("a");
        assertThat(ModelServerConfig.of("m", "1", file, null, 0, Map.of(KEY, K)).contract()).isNull();
    }

    @Test
    void refusesBadSettingsNamingTheFlagOrVariable() throws Exception {
        Path file = Files.writeString(dir.resolve("m.onnx"), "x");

        assertThatThrownBy(() -> ModelServerConfig.of("Titanic!", "1", file, null, 0, Map.of(KEY, K))).hasMessageStartingWith("--model: 'Titanic!'");
        assertThatThrownBy(() -> ModelServerConfig.of("m", "1 2", file, null, 0, Map.of(KEY, K))).hasMessageStartingWith("--version: '1 2'");
        assertThatThrownBy(() -> ModelServerConfig.of("m", "1", dir.resolve("none.onnx"), null, 0, Map.of(KEY, K)))
                .hasMessageEndingWith("none.onnx is not a readable file");
        assertThatThrownBy(() -> ModelServerConfig.of("m", "1", file, null, null, Map.of("LATTICE_PORT", "http", KEY, K)))
                .hasMessage("LATTICE_PORT: 'http' is not a number");
        assertThatThrownBy(() -> ModelServerConfig.of("m", "1", file, null, 70000, Map.of(KEY, K))).hasMessage("--port / LATTICE_PORT: 70000 is not a port");
        assertThatThrownBy(() -> ModelServerConfig.of("m", "1", file, null, 0, Map.of("LATTICE_MODEL_CONTRACT", "{\"preprocess\":{}}", KEY, K)))
                .hasMessage("LATTICE_MODEL_CONTRACT: contract: preprocess.fields is required");
    }

    @Test
    void needsAKeyAndNeverShowsIt() throws Exception {
        Path file = Files.writeString(dir.resolve("m.onnx"), "x");

        assertThatThrownBy(() -> ModelServerConfig.of("m", "1", file, null, 0, Map.of()))
                .hasMessage("LATTICE_SERVE_KEY is required: the key callers must present");
        assertThatThrownBy(() -> ModelServerConfig.of("m", "1", file, null, 0, Map.of(KEY, "short")))
                .hasMessage("LATTICE_SERVE_KEY: at least 32 characters");
        assertThat(ModelServerConfig.of("m", "1", file, null, 0, Map.of(KEY, K)).toString()).doesNotContain(K);
    }
}
