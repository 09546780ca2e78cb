package dev.lattice.agent.runtime.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lattice.agent.runtime.Launch;
import dev.lattice.agent.runtime.Sandbox;
import dev.lattice.agent.runtime.docker.ContainerPlan.Mount;
import dev.lattice.workloads.Resources;
import dev.lattice.workloads.WorkloadSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContainerPlanTest {
    private static final HostPaths HOST = new HostPaths(Path.of("/opt/jdk"),
            List.of(Path.of("/opt/lattice/lib"), Path.of("/opt/jdk/lib")), "1000:1000");

    private static final Sandbox SANDBOX = new Sandbox(40001, 40001, 128, 0.5, 64, List.of(Path.of("/data")));

    private static Launch launch(WorkloadSpec spec) {
        return new Launch("w1", "n1", spec, Map.of("LATTICE_B", "2", "LATTICE_A", "1"),
                Path.of("/data/work/w1"), Path.of("/data/logs/w1.log"));
    }

    private static Launch launch(WorkloadSpec spec, List<Path> shared, Sandbox sandbox) {
        return new Launch("w1", "n1", spec, Map.of(), Path.of("/data/work/w1"), Path.of("/data/logs/w1.log"), shared, sandbox);
    }

    @Test
    void runsACommandInTheRuntimeImageWithTheJdkAndJarsMountedReadOnlyAsTheAgentsUser() {
        var spec = new WorkloadSpec(List.of("/opt/jdk/bin/java", "-cp", "/opt/lattice/lib/*", "Main"), null, Map.of(), null, null);
        ContainerPlan plan = ContainerPlan.of(launch(spec), "lattice-runtime:1", HOST);

        assertThat(plan.name()).isEqualTo("lattice-n1-w1");
        assertThat(plan.image()).isEqualTo("lattice-runtime:1");
        assertThat(plan.command()).containsExactly("/opt/jdk/bin/java", "-cp", "/opt/lattice/lib/*", "Main");
        assertThat(plan.mounts()).containsExactly(new Mount("/data/work/w1", false), new Mount("/opt/jdk", true),
                new Mount("/opt/lattice/lib", true)); // /opt/jdk/lib is inside the JDK's mount already
        assertThat(plan.user()).isEqualTo("1000:1000");
        assertThat(plan.workingDir()).isEqualTo("/data/work/w1");
        assertThat(plan.env()).containsExactly("LATTICE_A=1", "LATTICE_B=2");
        assertThat(plan.labels()).isEqualTo(Map.of("lattice.node", "n1", "lattice.workload", "w1"));
        assertThat(plan.memoryBytes()).isZero();
        assertThat(plan.nanoCpus()).isZero();
        assertThat(plan.confined()).as("a platform service").isFalse();
        assertThat(plan.pidsLimit()).isZero();
    }

    @Test
    void onAnEngineOfAnotherMachineNothingIsMountedAndTheFolderIsCopiedIn() {
        var spec = new WorkloadSpec(List.of("/opt/jdk/bin/java", "Main"), null, Map.of(), null, null);
        ContainerPlan plan = ContainerPlan.of(launch(spec, List.of(), SANDBOX), "lattice-runtime-shipped:1", HOST, true);

        assertThat(plan.mounts()).as("the JDK and jars are in the shipped image").isEmpty();
        assertThat(plan.copyInto()).as("a volume at its parent, into which its folder is copied").isEqualTo("/data/work");
        assertThat(plan.workingDir()).isEqualTo("/data/work/w1");
        assertThat(plan.user()).isEqualTo("40001:40001");
        assertThat(plan.confined()).isTrue();
        assertThat(ContainerPlan.of(launch(spec, List.of(), SANDBOX), "lattice-runtime:1", HOST).copyInto()).as("a local engine mounts").isNull();
        // A jar folder under /tmp (hidden by a confined container's tmpfs) is shipped elsewhere, and the command follows it.
        HostPaths inTmp = new HostPaths(Path.of("/opt/jdk"), List.of(Path.of("/tmp/clone/lib")), "1000:1000");
        var java = new WorkloadSpec(List.of("/opt/jdk/bin/java", "-Dlattice.lib=/tmp/clone/lib", "-cp", "/tmp/clone/lib/*", "Main"), null, Map.of(), null, null);
        assertThat(ContainerPlan.of(launch(java, List.of(), SANDBOX), "lattice-runtime-shipped:1", inTmp, true).command())
                .containsExactly("/opt/jdk/bin/java", "-Dlattice.lib=/opt/lattice-shipped/tmp/clone/lib", "-cp", "/opt/lattice-shipped/tmp/clone/lib/*", "Main");
        assertThat(ContainerPlan.of(launch(java, List.of(), SANDBOX), "lattice-runtime:1", inTmp).command()).as("a local engine mounts it where it is")
                .containsExactly("/opt/jdk/bin/java", "-Dlattice.lib=/tmp/clone/lib", "-cp", "/tmp/clone/lib/*", "Main");
        assertThatThrownBy(() -> ContainerPlan.of(launch(spec, List.of(Path.of("/data/shared")), null), "lattice-runtime-shipped:1", HOST, true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("another machine");
    }

    @Test
    void aPlatformServiceGetsItsSharedFolders() {
        var spec = new WorkloadSpec(List.of("/opt/jdk/bin/java", "Main"), null, Map.of(), null, null);
        ContainerPlan plan = ContainerPlan.of(launch(spec, List.of(Path.of("/data/shared")), null), "lattice-runtime:1", HOST);

        assertThat(plan.mounts()).contains(new Mount("/data/shared", false));
        assertThat(plan.user()).isEqualTo("1000:1000");
        assertThat(plan.confined()).isFalse();
    }

    @Test
    void confinesASandboxedCommandToItsUidLimitsAndFolder() {
        var spec = new WorkloadSpec(List.of("/opt/jdk/bin/java", "Main"), null, Map.of(), new Resources(2, 512), null);
        ContainerPlan plan = ContainerPlan.of(launch(spec, List.of(), SANDBOX), "lattice-runtime:1", HOST);

        assertThat(plan.user()).isEqualTo("40001:40001");
        assertThat(plan.confined()).isTrue();
        assertThat(plan.pidsLimit()).isEqualTo(64);
        assertThat(plan.memoryBytes()).as("the sandbox's, not the spec's").isEqualTo(128L * 1024 * 1024);
        assertThat(plan.nanoCpus()).isEqualTo(500_000_000L);
        assertThat(plan.mounts()).containsExactly(new Mount("/data/work/w1", false), new Mount("/opt/jdk", true),
                new Mount("/opt/lattice/lib", true));
        assertThat(plan.workingDir()).isEqualTo("/data/work/w1");
    }

    @Test
    void runsASandboxedImageAsTheSandboxUidNotTheImagesUser() {
        var spec = new WorkloadSpec(null, "acme/app:2", Map.of(), null, null);
        ContainerPlan plan = ContainerPlan.of(launch(spec, List.of(), new Sandbox(40002, 40002, 256, 0, 32, List.of())), null, HOST);

        assertThat(plan.user()).isEqualTo("40002:40002");
        assertThat(plan.mounts()).containsExactly(new Mount("/data/work/w1", false));
        assertThat(plan.workingDir()).isNull();
        assertThat(plan.memoryBytes()).as("the sandbox's limit, whatever the spec says").isEqualTo(256L << 20);
        assertThat(plan.nanoCpus()).as("0 cpus: no quota").isZero();
        assertThat(plan.pidsLimit()).isEqualTo(32);
        assertThat(plan.confined()).isTrue();
    }

    @Test
    void refusesToShowASandboxedWorkloadAPlatformFolder() {
        var spec = new WorkloadSpec(List.of("java"), null, Map.of(), null, null);
        assertThatThrownBy(() -> ContainerPlan.of(launch(spec, List.of(Path.of("/data/shared")), SANDBOX), "lattice-runtime:1", HOST))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("shares no platform folder");
        // Jars found through a class path that reaches into the data folder.
        var leaky = new HostPaths(Path.of("/opt/jdk"), List.of(Path.of("/data/lib")), "1000:1000");
        assertThatThrownBy(() -> ContainerPlan.of(launch(spec, List.of(), SANDBOX), "lattice-runtime:1", leaky))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("would show it /data");
    }

    @Test
    void runsAnImageAsItIsWithOnlyTheWorkloadFolderMounted() {
        var spec = new WorkloadSpec(null, "acme/app:2", Map.of(), new Resources(1.5, 256), null);
        ContainerPlan plan = ContainerPlan.of(launch(spec), null, HOST);

        assertThat(plan.image()).isEqualTo("acme/app:2");
        assertThat(plan.command()).isEmpty();
        assertThat(plan.mounts()).containsExactly(new Mount("/data/work/w1", false));
        assertThat(plan.user()).isNull();
        assertThat(plan.workingDir()).isNull();
        assertThat(plan.memoryBytes()).isEqualTo(256L * 1024 * 1024);
        assertThat(plan.nanoCpus()).isEqualTo(1_500_000_000L);
    }

    @Test
    void replacesCharactersDockerDoesNotAllowInNames() {
        assertThat(ContainerPlan.nameOf("n 1", "w/1")).isEqualTo("lattice-n_1-w_1");
    }
}
