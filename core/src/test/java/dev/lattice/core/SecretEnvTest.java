package dev.lattice.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretEnvTest {
    @Test
    void masksEveryValueWhoseNameSaysSecret() {
        Map<String, String> env = Map.of("LATTICE_TOKEN", "lta_x_secret", "LATTICE_SERVE_KEY", "k", "DB_PASSWORD", "p",
                "aws_secret_access_key", "s", "ApiKey", "a", "LATTICE_MODEL_VERSION", "3", "PATH", "/bin");

        assertThat(SecretEnv.redacted(env)).containsExactlyInAnyOrderEntriesOf(Map.of("LATTICE_TOKEN", "***",
                "LATTICE_SERVE_KEY", "***", "DB_PASSWORD", "***", "aws_secret_access_key", "***", "ApiKey", "***",
                "LATTICE_MODEL_VERSION", "3", "PATH", "/bin"));
        assertThat(SecretEnv.redacted(env).values()).doesNotContain("lta_x_secret", "k", "p", "s", "a");
    }

    @Test
    void leavesAnEnvWithoutSecretsAsItIs() {
        Map<String, String> env = Map.of("LATTICE_MODEL_VERSION", "3");

        assertThat(SecretEnv.redacted(env)).isSameAs(env);
        assertThat(SecretEnv.redacted(null)).isNull();
        assertThat(SecretEnv.isSecret("MONKEY_COUNT")).isTrue(); // errs on the safe side
        assertThat(SecretEnv.isSecret("LATTICE_PORT")).isFalse();
    }
}
