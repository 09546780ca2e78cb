package dev.lattice.agent.runtime.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.fail;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.HostConfig;
import dev.lattice.agent.runtime.Launch;
import dev.lattice.agent.runtime.RunningWorkload;
import dev.lattice.agent.runtime.Sandbox;
import dev.lattice.workloads.Resources;
import dev.lattice.workloads.WorkloadSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

/**
 * The docker runtime against the real local engine, with images built here (no registry).
 * Skipped when there is no engine, unless {@code LATTICE_REQUIRE_DOCKER=1} (CI), which makes that a failure.
 */
class DockerRuntimeIT {
    private static final String NODE = "it" + UUID.randomUUID().toString().substring(0, 8);
    private static final String OTHER_NODE = NODE + "x";
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    private static DockerRuntime runtime;
    private static DockerClient docker;

    @TempDir
    Path dir;

    @BeforeAll
    static void connect() throws IOException {
        try {
            runtime = DockerRuntime.connect();
        } catch (IOException e) {
            if ("1".equals(System.getenv("LATTICE_REQUIRE_DOCKER"))) fail("LATTICE_REQUIRE_DOCKER=1 but " + e.getMessage(), e);
            throw new TestAbortedException("no Docker engine here: " + e.getMessage());
        }
        docker = runtime.client();
        TestImages.sleeper(docker);
    }

    @AfterAll
    static void cleanUp() throws IOException {
        if (runtime == null) return;
        runtime.close();
        // A fresh runtime watches nothing, so its sweep also removes what a failed test left running.
        try (DockerRuntime fresh = DockerRuntime.connect()) {
            fresh.sweep(NODE, Set.of());
            fresh.sweep(OTHER_NODE, Set.of());
        }
    }

    private Launch launch(String id, WorkloadSpec spec) {
        return launch(NODE, id, spec);
    }

    private Launch launch(String node, String id, WorkloadSpec spec) {
        return new Launch(id, node, spec, Map.of("GREETING", "hi", "LATTICE_WORKLOAD", id),
                dir.resolve("work").resolve(id), dir.resolve("logs").resolve(id + ".log"));
    }

    private static WorkloadSpec command(String... args) {
        return new WorkloadSpec(List.of(args), null, Map.of(), null, null);
    }

    private static WorkloadSpec image(String image, Resources resources) {
        return new WorkloadSpec(null, image, Map.of(), resources, null);
    }

    private static String log(Launch l) {
        try {
            return Files.exists(l.logFile()) ? Files.readString(l.logFile()) : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static void waitUntil(BooleanSupplier done, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
            Thread.sleep(20);
        }
    }

    private static boolean exists(String containerId) {
        try {
            docker.inspectContainerCmd(containerId).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    private static String idOf(RunningWorkload run) {
        return run.handle().substring("container:".length());
    }

    private static void signal(long pid, String sig) throws Exception {
        new ProcessBuilder("kill", "-" + sig, Long.toString(pid)).start().waitFor(5, TimeUnit.SECONDS);
    }

    @Test
    void runsACommandWithTheAgentsJdkAndClassPathInItsFolder() throws Exception {
        Launch l = launch("echo", command(JAVA, "-cp", System.getProperty("java.class.path"), EchoMain.class.getName()));
        RunningWorkload run = runtime.start(l);

        assertThat(run.exit().get(60, TimeUnit.SECONDS)).isZero();
        assertThat(log(l)).contains("echo cwd=" + l.workDir() + " greeting=hi home=/tmp", "echo to stderr");
        assertThat(exists(idOf(run))).as("removed once ended").isFalse();

        Launch version = launch("version", command(JAVA, "-version"));
        assertThat(runtime.start(version).exit().get(60, TimeUnit.SECONDS)).isZero();
        assertThat(log(version)).contains("version \"" + Runtime.version().feature());
    }

    @Test
    void followsOutputMeasuresUsageAndEndsWithTheCodeWhenItsProcessIsKilled() throws Exception {
        Launch l = launch("sleepy", command("sh", "-c", "echo hello; sleep 600"));
        RunningWorkload run = runtime.start(l);
        waitUntil(() -> log(l).contains("hello"), Duration.ofSeconds(10), "output");

        assertThat(run.handle()).startsWith("container:");
        long pid = run.pid();
        assertThat(pid).isPositive();
        assertThat(Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"))).startsWith("sh\0-c\0");
        RunningWorkload.Usage usage = run.usage();
        assertThat(usage.rssBytes()).isPositive();
        assertThat(usage.cpuNanos()).isPositive();
        assertThat(run.exit()).isNotDone();

        signal(pid, "KILL");
        assertThat(run.exit().get(10, TimeUnit.SECONDS)).isEqualTo(137);
        assertThat(exists(idOf(run))).isFalse();
    }

    @Test
    void dockerKillEndsTheRunWithItsCode() throws Exception {
        RunningWorkload run = runtime.start(launch("killed", command("sleep", "600")));
        docker.killContainerCmd(idOf(run)).exec();
        assertThat(run.exit().get(10, TimeUnit.SECONDS)).isEqualTo(137);
    }

    @Test
    void stopEndsAStoppedProcessAndRemovesTheContainerWithinTheGrace() throws Exception {
        Launch l = launch("frozen", command("sh", "-c", "echo up; sleep 600"));
        RunningWorkload run = runtime.start(l);
        waitUntil(() -> log(l).contains("up"), Duration.ofSeconds(10), "output");
        signal(run.pid(), "STOP");

        long t0 = System.nanoTime();
        run.stop(Duration.ofSeconds(5));
        long ms = (System.nanoTime() - t0) / 1_000_000;

        assertThat(ms).as("SIGTERM reached the woken shell: no need to wait out the grace").isLessThan(3000);
        assertThat(run.exit()).isDone();
        assertThat(run.exit().get()).isEqualTo(143);
        assertThat(exists(idOf(run))).isFalse();
    }

    @Test
    void stopKillsAWorkloadThatIgnoresSigtermAfterTheGrace() throws Exception {
        Launch l = launch("stubborn", command("sh", "-c", "trap '' TERM; echo up; while true; do sleep 1; done"));
        RunningWorkload run = runtime.start(l);
        waitUntil(() -> log(l).contains("up"), Duration.ofSeconds(10), "output");

        long t0 = System.nanoTime();
        run.stop(Duration.ofSeconds(1));
        long ms = (System.nanoTime() - t0) / 1_000_000;

        assertThat(ms).isBetween(900L, 4000L);
        assertThat(run.exit().get()).isEqualTo(137);
        assertThat(exists(idOf(run))).isFalse();
    }

    @Test
    void aNewRuntimeAdoptsARunningContainerAndAppendsOnlyNewOutput() throws Exception {
        Launch l = launch("ticker", command("sh", "-c", "i=0; while true; do i=$((i+1)); echo tick-$i; sleep 0.1; done"));
        String handle;
        try (DockerRuntime first = DockerRuntime.connect()) {
            handle = first.start(l).handle();
            waitUntil(() -> log(l).contains("tick-5\n"), Duration.ofSeconds(10), "ticks");
        } // the agent dies: the container runs on
        Thread.sleep(300);
        int before = ticks(log(l)).size();

        try (DockerRuntime second = DockerRuntime.connect()) {
            assertThat(second.adopt(launch("other", l.spec()), handle)).as("not its workload").isEmpty();
            assertThat(second.adopt(l, "container:0123456789ab")).isEmpty();
            assertThat(second.adopt(l, "pid:1:2")).isEmpty();
            RunningWorkload run = second.adopt(l, handle).orElseThrow();
            assertThat(run.handle()).isEqualTo(handle);
            waitUntil(() -> ticks(log(l)).size() > before + 10, Duration.ofSeconds(10), "ticks after adoption");

            List<Integer> ticks = ticks(log(l));
            assertThat(new HashSet<>(ticks)).as("no tick twice").hasSameSizeAs(ticks);
            assertThat(ticks).isSorted();
            assertThat(run.usage().rssBytes()).isPositive();

            run.stop(Duration.ofSeconds(5));
            assertThat(run.exit().get()).isEqualTo(143);
        }
    }

    private static List<Integer> ticks(String log) {
        List<Integer> ticks = new ArrayList<>();
        Matcher m = Pattern.compile("tick-(\\d+)\n").matcher(log);
        while (m.find()) ticks.add(Integer.parseInt(m.group(1)));
        return ticks;
    }

    @Test
    void adoptingAContainerThatEndedRemovesIt() throws Exception {
        Launch l = launch("ended", command("sleep", "600"));
        String handle;
        try (DockerRuntime first = DockerRuntime.connect()) {
            handle = first.start(l).handle();
        }
        String id = handle.substring("container:".length());
        docker.stopContainerCmd(id).withTimeout(0).exec();

        try (DockerRuntime second = DockerRuntime.connect()) {
            assertThat(second.adopt(l, handle)).isEmpty();
        }
        assertThat(exists(id)).isFalse();
    }

    @Test
    void sweepRemovesTheNodesContainersThatAreNotKept() throws Exception {
        String kept, stray, otherNode;
        try (DockerRuntime dead = DockerRuntime.connect()) {
            kept = idOf(dead.start(launch("kept", command("sleep", "600"))));
            stray = idOf(dead.start(launch("stray", command("sleep", "600"))));
            otherNode = idOf(dead.start(launch(OTHER_NODE, "kept", command("sleep", "600"))));
        }
        RunningWorkload watched = runtime.start(launch("watched", command("sleep", "600")));

        runtime.sweep(NODE, Set.of("container:" + kept));

        assertThat(exists(kept)).isTrue();
        assertThat(exists(stray)).isFalse();
        assertThat(exists(otherNode)).as("another node's").isTrue();
        assertThat(exists(idOf(watched))).as("started by this runtime").isTrue();
        runtime.sweep(NODE, Set.of(watched.handle()));
        runtime.sweep(OTHER_NODE, Set.of());
        assertThat(exists(kept)).isFalse();
        assertThat(exists(otherNode)).isFalse();
        watched.stop(Duration.ZERO);
    }

    @Test
    void buildsTheRuntimeImageAgainWhenItWasRemoved() throws Exception {
        assertThat(runtime.start(launch("before", command("sh", "-c", "true"))).exit().get(30, TimeUnit.SECONDS)).isZero();
        docker.removeImageCmd(RuntimeImage.TAG).withForce(true).exec();

        RunningWorkload run = runtime.start(launch("after", command("sh", "-c", "exit 3")));

        assertThat(run.exit().get(30, TimeUnit.SECONDS)).isEqualTo(3);
    }

    @Test
    void anImageTheEngineDoesNotHaveFailsClearly() {
        assertThatThrownBy(() -> runtime.start(launch("ghost", image("lattice-no-such-image:1", null))))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("image lattice-no-such-image:1 is not in the local Docker engine (no registry is reachable");
    }

    @Test
    void runsAnImageWithItsOwnCommandEnvAndLimits() throws Exception {
        Launch l = launch("img", image(TestImages.SLEEPER, new Resources(0.5, 64)));
        RunningWorkload run = runtime.start(l);
        waitUntil(() -> log(l).contains("sleeper says hi"), Duration.ofSeconds(10), "output");

        var info = docker.inspectContainerCmd(idOf(run)).exec();
        HostConfig hc = info.getHostConfig();
        assertThat(hc.getMemory()).isEqualTo(64L * 1024 * 1024);
        assertThat(hc.getNanoCPUs()).isEqualTo(500_000_000L);
        assertThat(hc.getInit()).isTrue();
        assertThat(hc.getNetworkMode()).isEqualTo("host");
        assertThat(Arrays.stream(hc.getBinds()).map(b -> b.getPath() + ":" + b.getVolume().getPath()))
                .containsExactly(l.workDir() + ":" + l.workDir());
        assertThat(info.getName()).isEqualTo("/lattice-" + NODE + "-img");
        assertThat(info.getConfig().getLabels()).containsEntry("lattice.node", NODE).containsEntry("lattice.workload", "img");
        run.stop(Duration.ofSeconds(5));
    }

    /**
     * An engine of another machine (forced here against the local one): nothing of this machine is
     * mounted. A confined command runs on the JDK shipped in the runtime image, in a copy of its
     * folder owned by its uid (which it can write under a read-only root); usage comes from stats;
     * the copy goes with the container.
     */
    @Test
    void onARemoteEngineACommandRunsOnTheShippedJdkInACopyOfItsFolder() throws Exception {
        // A fixed folder, written once: its path and times are part of the image's fingerprint. Under
        // /tmp on purpose, which a confined container's tmpfs hides: the image holds it elsewhere and
        // the command line follows (as for an installation in a clone under /tmp).
        Path lib = Path.of(System.getProperty("java.io.tmpdir"), "lattice-shipped-test-lib");
        if (!Files.exists(lib.resolve("marker.txt"))) {
            Files.createDirectories(lib);
            Files.writeString(lib.resolve("marker.txt"), "shipped-jar-folder\n");
        }
        HostPaths host = new HostPaths(Path.of(System.getProperty("java.home")), List.of(lib), "0:0");
        try (DockerRuntime remote = new DockerRuntime(DockerRuntime.clientFor(
                com.github.dockerjava.core.DefaultDockerClientConfig.createDefaultConfigBuilder().build()),
                false, new RuntimeImage(host.javaHome(), true, host.libDirs()), host, Clock.systemUTC())) {
            assertThat(remote.refuses(command("sleep", "1"))).isEmpty();
            assertThat(remote.available()).isTrue();
            assertThat(remote.capacity()).hasValueSatisfying(c -> assertThat(c.cpus()).isPositive());
            Launch l = sandboxed("remote", command("sh", "-c", """
                    exec 2>&1
                    cat ./data.txt
                    cat %s/marker.txt
                    %s -version && echo jdk-ran
                    echo x > ./mine && echo wrote-folder
                    echo x > /etc/x && echo wrote-etc
                    cat /proc/self/status
                    echo checked; exec sleep 600""".formatted(lib, JAVA)), sandbox(40003, 256, 64));
            Files.writeString(l.workDir().resolve("data.txt"), "the-artefact-copied-in\n");
            RunningWorkload run = remote.start(l);
            waitUntil(() -> log(l).contains("checked"), Duration.ofSeconds(60), "the checks");
            String out = log(l);
            assertThat(out).contains("the-artefact-copied-in", "shipped-jar-folder", "jdk-ran", "wrote-folder",
                    "Uid:\t40003\t40003\t40003\t40003").doesNotContain("wrote-etc");
            assertThat(run.pid()).isEqualTo(-1);
            var info = docker.inspectContainerCmd(idOf(run)).exec();
            assertThat(info.getHostConfig().getBinds()).as("nothing of this machine mounted").isNullOrEmpty();
            assertThat(info.getConfig().getImage()).isEqualTo(RuntimeImage.SHIPPED_TAG);
            String volume = info.getMounts().get(0).getName();
            waitUntil(() -> run.usage().rssBytes() > 0, Duration.ofSeconds(10), "a stats sample");
            run.stop(Duration.ofSeconds(5));
            assertThat(docker.listVolumesCmd().exec().getVolumes()).as("the folder's copy went with the container")
                    .noneMatch(v -> v.getName().equals(volume));
        }
    }

    /** A user's workload: its folder owned by the sandbox's uid, as the agent chowns it. */
    private Launch sandboxed(String id, WorkloadSpec spec, Sandbox sandbox) throws IOException {
        Path work = Files.createDirectories(dir.resolve("work").resolve(id));
        Files.setAttribute(work, "unix:uid", sandbox.uid());
        Files.setAttribute(work, "unix:gid", sandbox.gid());
        return new Launch(id, NODE, spec, Map.of("LATTICE_WORKLOAD", id), work, dir.resolve("logs").resolve(id + ".log"),
                List.of(), sandbox);
    }

    private Sandbox sandbox(int uid, long memoryMb, int pids) {
        return new Sandbox(uid, uid, memoryMb, 0.5, pids, List.of(dir.resolve("logs")));
    }

    @Test
    void aSandboxedCommandRunsAsItsUidWithoutCapabilitiesAndWritesOnlyTmpAndItsFolder() throws Exception {
        // stderr joins stdout in the shell itself: the engine copies the two streams separately, so a
        // write's error could otherwise reach the log after "checked" (seen once in CI).
        Launch l = sandboxed("confined", command("sh", "-c", """
                exec 2>&1
                cat /proc/self/status
                echo x > /x && echo wrote-root
                echo x > /etc/x && echo wrote-etc
                echo x > /tmp/x && echo wrote-tmp
                echo x > ./mine && echo wrote-folder
                echo checked; exec sleep 600"""), sandbox(40001, 64, 32));
        RunningWorkload run = runtime.start(l);
        waitUntil(() -> log(l).contains("checked"), Duration.ofSeconds(10), "the checks");
        String out = log(l);

        assertThat(out).contains("Uid:\t40001\t40001\t40001\t40001\n", "Gid:\t40001\t40001\t40001\t40001\n",
                "CapEff:\t0000000000000000\n", "CapPrm:\t0000000000000000\n", "CapBnd:\t0000000000000000\n",
                "NoNewPrivs:\t1\n");
        // No supplementary groups: the engine lists the primary group, its own, and nothing else.
        assertThat(out).containsPattern("Groups:[ \t]*(40001)?[ \t]*\n");
        assertThat(out).contains("wrote-tmp", "wrote-folder", "Read-only file system").doesNotContain("wrote-root", "wrote-etc");
        assertThat(Files.getAttribute(l.workDir().resolve("mine"), "unix:uid")).isEqualTo(40001);

        HostConfig hc = docker.inspectContainerCmd(idOf(run)).exec().getHostConfig();
        assertThat(hc.getCapDrop()).containsExactly(Capability.ALL);
        assertThat(hc.getSecurityOpts()).containsExactly("no-new-privileges");
        assertThat(hc.getReadonlyRootfs()).isTrue();
        assertThat(hc.getTmpFs()).containsEntry("/tmp", ContainerPlan.TMPFS);
        assertThat(hc.getPidsLimit()).isEqualTo(32);
        assertThat(hc.getMemory()).isEqualTo(64L * 1024 * 1024);
        assertThat(hc.getMemorySwap()).isEqualTo(64L * 1024 * 1024);
        assertThat(hc.getNanoCPUs()).isEqualTo(500_000_000L);
        assertThat(Arrays.stream(hc.getBinds()).map(b -> b.getVolume().getPath()))
                .as("its folder, then only the JDK and jars").first().isEqualTo(l.workDir().toString());
        assertThat(Arrays.stream(hc.getBinds()).skip(1)).allMatch(b -> b.getAccessMode() == com.github.dockerjava.api.model.AccessMode.ro);
        assertThat(Arrays.stream(hc.getBinds()).map(b -> b.getPath())).noneMatch(p -> p.contains("docker.sock"));
        run.stop(Duration.ofSeconds(5));
        assertThat(run.oomKilled()).isFalse();
    }

    @Test
    void aSandboxedImageRunsAsTheSandboxUidNotItsOwnUser() throws Exception {
        Launch l = sandboxed("confined-img", image(TestImages.SLEEPER, null), sandbox(40002, 64, 16));
        RunningWorkload run = runtime.start(l);
        waitUntil(() -> log(l).contains("sleeper says"), Duration.ofSeconds(10), "output");

        assertThat(docker.inspectContainerCmd(idOf(run)).exec().getConfig().getUser()).isEqualTo("40002:40002");
        String status = Files.readString(Path.of("/proc", Long.toString(run.pid()), "status"));
        assertThat(status).contains("Uid:\t40002\t40002\t40002\t40002\n", "CapEff:\t0000000000000000\n");
        run.stop(Duration.ofSeconds(5));
    }

    @Test
    void aForkLoopIsHeldAtThePidsLimit() throws Exception {
        // The inner shell gives up when a fork fails; the outer one keeps the container (and the sleeps) alive to count.
        Launch l = sandboxed("forker", command("sh", "-c", """
                sh -c 'n=0; while [ $n -lt 200 ]; do sleep 60 & n=$((n+1)); echo started-$n; done'
                echo fork-loop-ended; exec sleep 600"""), sandbox(40003, 64, 16));
        RunningWorkload run = runtime.start(l);
        waitUntil(() -> log(l).contains("fork-loop-ended"), Duration.ofSeconds(20), "the fork loop to hit the limit");

        int started = Pattern.compile("started-\\d+").matcher(log(l)).results().mapToInt(r -> 1).sum();
        assertThat(started).as("sleeps started").isBetween(5, 16);
        assertThat(log(l)).containsIgnoringCase("fork");
        int processes = docker.topContainerCmd(idOf(run)).exec().getProcesses().length;
        assertThat(processes).isLessThanOrEqualTo(16);
        System.out.printf("fork loop under pids 16: %d sleeps started, %d processes in the container%n", started, processes);
        assertThat(run.exit()).isNotDone();
        run.stop(Duration.ofSeconds(5));
    }

    @Test
    void aMemoryHogIsKilledAndReportedAsOutOfMemory() throws Exception {
        Launch l = sandboxed("hog", command("sh", "-c", "x=a; while :; do x=$x$x; done"), sandbox(40004, 32, 16));
        RunningWorkload run = runtime.start(l);

        assertThat(run.exit().get(60, TimeUnit.SECONDS)).isEqualTo(137);
        assertThat(run.oomKilled()).isTrue();
        assertThat(exists(idOf(run))).as("removed once ended").isFalse();
    }

    @Test
    void aPlatformServiceRunsUnconfinedWithItsSharedFolders() throws Exception {
        Path shared = Files.createDirectories(dir.resolve("data"));
        Launch l = new Launch("service", NODE, command("sh", "-c", "cat /proc/self/status; echo x > " + shared + "/s && echo wrote-shared; exec sleep 600"),
                Map.of(), dir.resolve("work").resolve("service"), dir.resolve("logs").resolve("service.log"), List.of(shared), null);
        RunningWorkload run = runtime.start(l);
        waitUntil(() -> log(l).contains("wrote-shared"), Duration.ofSeconds(10), "output");

        String uid = HostPaths.current().user().split(":")[0];
        assertThat(log(l)).contains("Uid:\t" + uid + "\t", "NoNewPrivs:\t0\n");
        HostConfig hc = docker.inspectContainerCmd(idOf(run)).exec().getHostConfig();
        assertThat(hc.getCapDrop()).isNullOrEmpty();
        assertThat(hc.getReadonlyRootfs()).isNotEqualTo(Boolean.TRUE);
        assertThat(hc.getPidsLimit()).satisfiesAnyOf(p -> assertThat(p).isNull(), p -> assertThat(p).isLessThanOrEqualTo(0L));
        assertThat(docker.inspectContainerCmd(idOf(run)).exec().getConfig().getUser()).isEqualTo(HostPaths.current().user());
        run.stop(Duration.ofSeconds(5));
        assertThat(run.oomKilled()).isFalse();
    }

    @Test
    void measuresStartTimeImageBuildAndSize() throws Exception {
        try {
            docker.removeImageCmd(RuntimeImage.TAG).withForce(true).exec();
        } catch (NotFoundException notThere) {
            // first build on this engine
        }
        long t0 = System.nanoTime();
        new RuntimeImage(Path.of(System.getProperty("java.home"))).ensure(docker);
        long buildMs = (System.nanoTime() - t0) / 1_000_000;
        long size = docker.inspectImageCmd(RuntimeImage.TAG).exec().getSize();

        // As in a real distribution: one lib folder (lattice.lib), not a Maven class path.
        HostPaths host = new HostPaths(Path.of(System.getProperty("java.home")), List.of(dir.resolve("lib")), HostPaths.current().user());
        Files.createDirectories(dir.resolve("lib"));
        List<Long> startMs = new ArrayList<>();
        try (DockerRuntime timed = DockerRuntime.connect(host)) {
            for (int i = 0; i < 10; i++) {
                long s = System.nanoTime();
                RunningWorkload run = timed.start(launch("timed", command("sleep", "600")));
                startMs.add((System.nanoTime() - s) / 1_000_000);
                run.stop(Duration.ZERO);
            }
        }
        // The engine's part alone: create + start of the same container, without the runtime's inspect and log stream.
        List<Long> engineMs = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            long s = System.nanoTime();
            String id = docker.createContainerCmd(RuntimeImage.TAG).withCmd("sleep", "600")
                    .withHostConfig(HostConfig.newHostConfig().withInit(true).withNetworkMode("host")).exec().getId();
            docker.startContainerCmd(id).exec();
            engineMs.add((System.nanoTime() - s) / 1_000_000);
            docker.removeContainerCmd(id).withForce(true).exec();
        }
        startMs.sort(null);
        engineMs.sort(null);
        System.out.printf("docker runtime: start() of a command workload median %d ms (min %d, max %d, n=10);"
                        + " engine create+start alone median %d ms (min %d, max %d); runtime image build %d ms, size %.1f MB%n",
                (startMs.get(4) + startMs.get(5)) / 2, startMs.get(0), startMs.get(9),
                (engineMs.get(4) + engineMs.get(5)) / 2, engineMs.get(0), engineMs.get(9), buildMs, size / 1e6);
        assertThat(size).isLessThan(20_000_000L);
    }
}
