package dev.lattice.api.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lattice.core.LatticeException;
import dev.lattice.workloads.Resources;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModelConfigTest {
    @Test
    void readsResourcesWithAProcessLimit() {
        ModelConfig c = parse("{name: anomaly, version: '1', resources: {cpu: 0.5, memoryMb: 128, pids: 512}}");

        assertThat(c.resources()).isEqualTo(new Resources(0.5, 128, 512));
        assertThat(parse("{name: anomaly, version: '1'}").resources().pids()).isZero();
        assertThat(parse("{name: anomaly, version: '1', resources: {cpu: 1}}").resources()).isEqualTo(new Resources(1, 256, 0));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "-1       | config.resources.pids: must be 0..65536 (0: the default, 256), not -1",
            "70000    | config.resources.pids: must be 0..65536 (0: the default, 256), not 70000",
            "2.5      | config.resources.pids: a whole number of processes, not 2.5",
            "lots     | config.resources.pids: a whole number of processes, not \"lots\"",
            "9999999999 | config.resources.pids: a whole number of processes, not 9999999999"})
    void refusesABadProcessLimitNamingItsPlace(String pids, String message) {
        assertThatThrownBy(() -> parse("{name: anomaly, version: '1', resources: {pids: " + pids + "}}"))
                .isInstanceOfSatisfying(LatticeException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.code()).isEqualTo("models:config.resources");
                    assertThat(e.getMessage()).isEqualTo(message);
                });
    }

    @Test
    void namesTheConfigPlaceOfOtherResourceMistakesToo() {
        assertThatThrownBy(() -> parse("{name: anomaly, version: '1', resources: {cpu: -1}}"))
                .hasMessage("config.resources.cpu: must be 0..1024 cores, not -1.0");
        assertThatThrownBy(() -> parse("{name: anomaly, version: '1', resources: {memoryMb: 99999999999}}"))
                .hasMessage("config.resources.memoryMb: a whole number, not 99999999999");
    }

    private static ModelConfig parse(String yaml) {
        return ModelConfig.parse(yaml.getBytes(StandardCharsets.UTF_8));
    }
}
