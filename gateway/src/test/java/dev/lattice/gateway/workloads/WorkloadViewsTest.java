package dev.lattice.gateway.workloads;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lattice.core.Json;
import dev.lattice.workloads.Deployment;
import dev.lattice.workloads.WorkloadSpec;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a deployment's view shows of its env: no credential, whoever asks. */
class WorkloadViewsTest {
    @Test
    void showsNoSecretOfADeploymentsEnv() {
        var env = Map.of("LATTICE_TOKEN", "lta_i1_s3cr3t", "LATTICE_SERVE_KEY", "k3y-of-the-model-server",
                "DB_PASSWORD", "hunter2", "LATTICE_MODEL_VERSION", "2");
        var d = new Deployment("model-iris", Deployment.MODEL, new WorkloadSpec(List.of("java"), null, env, null, null),
                1, null, "models", Instant.EPOCH);

        var view = WorkloadViews.view(d, List.of());

        assertThat(view.env()).containsExactlyInAnyOrderEntriesOf(Map.of("LATTICE_TOKEN", "***", "LATTICE_SERVE_KEY", "***",
                "DB_PASSWORD", "***", "LATTICE_MODEL_VERSION", "2"));
        assertThat(new String(Json.bytes(view))).doesNotContain("s3cr3t", "k3y-of", "hunter2");
    }
}
