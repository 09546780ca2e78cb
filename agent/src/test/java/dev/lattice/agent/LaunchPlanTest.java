package dev.lattice.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lattice.agent.runtime.Launch;
import dev.lattice.agent.runtime.Sandbox;
import dev.lattice.workloads.Deployment;
import dev.lattice.workloads.Resources;
import dev.lattice.workloads.Workload;
import dev.lattice.workloads.WorkloadSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LaunchPlanTest {
    private static final Path DATA = Path.of("/data/nodes/n1");
    private static final Path SERVICE_LOG = Path.of("/data/logs/gateway.log");
    private static final Sandbox SANDBOX = new Sandbox(300001, 300001, 256, 0.5, 64, List.of(DATA));

    private final AgentConfig config = new AgentConfig("n1", "process", List.of(), 2, 2048, DATA,
            List.of(new AgentConfig.StaticWorkload(new Workload("gateway", "gateway", Deployment.SERVICE, 0, "n1",
                    spec(Map.of(), null), Instant.EPOCH), SERVICE_LOG, "gateway-n1", List.of(Path.of("/data")))),
            Duration.ofSeconds(10), null);

    private static WorkloadSpec spec(Map<String, String> env, WorkloadSpec.Http http) {
        return new WorkloadSpec(List.of("java", "-jar", "app.jar"), null, env, Resources.NONE, null, http);
    }

    @Test
    void aPlacedWorkloadGetsThePlatformsVariablesItsOwnHomeFolderLogAndSandbox() {
        LaunchPlan plan = LaunchPlan.of(config, "abcd1234-n1", "process", "w1", spec(Map.of("A", "1"), null), false, 0, SANDBOX);

        assertThat(plan.env()).containsEntry("A", "1").containsEntry("LATTICE_WORKLOAD_ID", "w1").containsEntry("LATTICE_NODE", "n1")
                .containsEntry("HOME", DATA.resolve("workloads/w1").toString()).doesNotContainKey("LATTICE_PORT");
        assertThat(plan.workDir()).isEqualTo(DATA.resolve("workloads/w1"));
        assertThat(plan.logFile()).isEqualTo(DATA.resolve("logs/w1.log"));
        assertThat(plan.shared()).isEmpty();
        assertThat(plan.port()).isZero();

        Launch launch = plan.launch();
        assertThat(launch.node()).isEqualTo("abcd1234-n1");
        assertThat(launch.sandbox()).isEqualTo(SANDBOX);
        assertThat(launch.spec().command()).containsExactly("java", "-jar", "app.jar");
        assertThat(launch.env()).isEqualTo(plan.env());
    }

    @Test
    void aWorkloadThatServesHttpKeepsThePortItWasGiven() {
        LaunchPlan plan = LaunchPlan.of(config, "p-n1", "process", "m1", spec(Map.of(), new WorkloadSpec.Http("/ready")), false, 41234, null);
        assertThat(plan.port()).isEqualTo(41234);
        assertThat(plan.env()).containsEntry("LATTICE_PORT", "41234");

        LaunchPlan noHttp = LaunchPlan.of(config, "p-n1", "process", "w1", spec(Map.of(), null), false, 41234, null);
        assertThat(noHttp.port()).isZero();
        assertThat(noHttp.env()).doesNotContainKey("LATTICE_PORT");
    }

    @Test
    void aPlatformServiceKeepsItsHomeAndGetsItsLogAndSharedFolders() {
        LaunchPlan plan = LaunchPlan.of(config, "p-n1", "process", "gateway", spec(Map.of("LATTICE_SUPERVISOR_PID", "42"), null),
                true, 0, null);
        assertThat(plan.env()).doesNotContainKey("HOME").containsEntry("LATTICE_SUPERVISOR_PID", "42");
        assertThat(plan.logFile()).isEqualTo(SERVICE_LOG);
        assertThat(plan.shared()).containsExactly(Path.of("/data"));
        assertThat(plan.sandbox()).isNull();
    }

    @Test
    void aContainerIsNotToldTheSupervisorsHostPid() {
        LaunchPlan plan = LaunchPlan.of(config, "p-n1", "docker", "gateway", spec(Map.of("LATTICE_SUPERVISOR_PID", "42"), null),
                true, 0, null);
        assertThat(plan.env()).doesNotContainKey("LATTICE_SUPERVISOR_PID");
    }

    @Test
    void anArtefactIsNamedToTheWorkloadAndABundleBecomesItsFolderAndHome() {
        LaunchPlan plan = LaunchPlan.of(config, "p-n1", "process", "w1", spec(Map.of(), null), false, 0, SANDBOX);
        Path file = plan.workDir().resolve("model.onnx");
        LaunchPlan withFile = plan.withArtefact(file);
        assertThat(withFile.env()).containsEntry("LATTICE_ARTEFACT", file.toString())
                .containsEntry("HOME", plan.workDir().toString());
        assertThat(withFile.workDir()).isEqualTo(plan.workDir());

        Path folder = plan.workDir().resolve(LaunchPlan.BUNDLE_FOLDER);
        LaunchPlan bundle = plan.withBundle(folder);
        assertThat(bundle.env()).containsEntry("LATTICE_ARTEFACT", folder.toString()).containsEntry("HOME", folder.toString());
        assertThat(bundle.workDir()).isEqualTo(folder);
        assertThat(bundle.launch().workDir()).isEqualTo(folder);
        assertThat(bundle.sandbox()).isEqualTo(SANDBOX);

        LaunchPlan service = LaunchPlan.of(config, "p-n1", "process", "gateway", spec(Map.of(), null), true, 0, null).withBundle(folder);
        assertThat(service.env()).doesNotContainKey("HOME");
    }
}
