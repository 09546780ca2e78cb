package dev.lattice.agent.runtime.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lattice.agent.runtime.Launch;
import dev.lattice.agent.runtime.RunningWorkload;
import dev.lattice.agent.runtime.Sandbox;
import dev.lattice.agent.runtime.process.ProcessRuntime;
import dev.lattice.workloads.WorkloadSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The process runtime's sandbox against the real kernel: bubblewrap, setpriv and cgroups, each
 * test a workload that tries to cross a boundary. Needs root and bubblewrap; skipped without them
 * unless {@code LATTICE_REQUIRE_SANDBOX=1} (CI sets it), then a failure.
 */
class ProcessSandboxIT {
    @TempDir
    Path tmp;
    private ProcessRuntime runtime;
    private UidPool uids;
    private final List<Integer> taken = new java.util.ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        SandboxSupport support = SandboxSupport.detect();
        if (!support.available()) {
            if ("1".equals(System.getenv("LATTICE_REQUIRE_SANDBOX")))
                throw new AssertionError("LATTICE_REQUIRE_SANDBOX=1 but this host cannot sandbox: " + support.missing());
            Assumptions.abort("no sandbox here: " + support.missing());
        }
        runtime = new ProcessRuntime(support, List.of(Path.of(System.getProperty("java.home"))));
        uids = new UidPool(tmp.resolve("uids"));
        // The test's folder is root-only, as a real data folder is: the workload must still reach its own folder in it.
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwx------"));
    }

    @AfterEach
    void tearDown() {
        taken.forEach(uids::release);
    }

    private Launch launch(String id, String script, long memoryMb, int pids) throws IOException {
        Path data = tmp.resolve("data");
        Path folder = data.resolve("nodes/n1/workloads").resolve(id);
        Files.createDirectories(folder);
        Files.writeString(data.resolve("kafka-secret"), "s3cret");
        int uid = uids.acquire();
        taken.add(uid);
        new ProcessBuilder("chown", "-R", uid + ":" + uid, folder.toString()).start().onExit().join();
        var spec = new WorkloadSpec(List.of("/bin/sh", "-c", script), null, Map.of(), null, null);
        return new Launch(id, "it-" + ProcessHandle.current().pid(), spec, Map.of("LATTICE_TOKEN", "lta_x_secret"), folder,
                tmp.resolve("logs").resolve(id + ".log"), List.of(), new Sandbox(uid, uid, memoryMb, 0.5, pids, List.of(data), folder));
    }

    private static int exit(RunningWorkload run) throws Exception {
        return run.exit().get(60, TimeUnit.SECONDS);
    }

    @Test
    void aWorkloadRunsAsItsOwnUserAndSeesNothingOfThePlatform() throws Exception {
        Launch l = launch("probe", """
                grep -E '^(Uid|Gid|Groups|CapEff|CapBnd|NoNewPrivs):' /proc/self/status > report
                echo "secret=$(cat %1$s/kafka-secret 2>/dev/null)" >> report
                echo "data=$(ls -A %1$s | tr '\\n' ' ')" >> report
                echo "procs=$(ls /proc | grep -c '^[0-9]')" >> report
                echo "agent=$(kill -0 %2$d 2>&1 && echo reached)" >> report
                (echo x > %1$s/pwned) 2>/dev/null && echo "wrote=data" >> report
                (echo x > /etc/pwned) 2>/dev/null && echo "wrote=etc" >> report
                echo x > /tmp/private && echo "tmp=ok" >> report
                """.formatted(tmp.resolve("data"), ProcessHandle.current().pid()), 64, 64);
        assertThat(exit(runtime.start(l))).isZero();
        String report = Files.readString(l.workDir().resolve("report"));
        int uid = l.sandbox().uid();
        assertThat(report).contains("Uid:\t" + uid + "\t" + uid).contains("Gid:\t" + uid + "\t" + uid)
                .containsPattern("Groups:\\s*\\n").contains("CapEff:\t0000000000000000").contains("CapBnd:\t0000000000000000")
                .contains("NoNewPrivs:\t1").contains("secret=\n").contains("data=nodes \n").contains("tmp=ok")
                .doesNotContain("reached").doesNotContain("wrote=");
        assertThat(report).containsPattern("procs=[1-7]\\n"); // bwrap's init, the shell and what it runs: nothing of the host
        assertThat(tmp.resolve("data/pwned")).doesNotExist();
        assertThat(Files.readString(tmp.resolve("data/kafka-secret"))).isEqualTo("s3cret");
    }

    @Test
    void jarsUnderTmpStayReadableButNotWritableBehindThePrivateTmp() throws Exception {
        // An installation a few folders deep under /tmp, in folders anyone may enter, as a fresh clone
        // there has it (bwrap makes the missing folders on the way root-only unless told otherwise).
        Path root = Files.createTempDirectory(Path.of("/tmp"), "lattice-clone-");
        Path lib = Files.createDirectories(root.resolve("main/target/lib"));
        try {
            for (Path d = lib; d.startsWith(root); d = d.getParent()) {
                Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
            Files.writeString(lib.resolve("a.jar"), "jar");
            // Writable by anyone: only the read-only mount may keep the workload from changing it.
            Files.setPosixFilePermissions(lib.resolve("a.jar"), PosixFilePermissions.fromString("rw-rw-rw-"));
            ProcessRuntime withLib = new ProcessRuntime(SandboxSupport.detect(), List.of(Path.of(System.getProperty("java.home")), lib));
            Launch l = launch("reader", """
                    echo "jar=$(cat %1$s/a.jar)" > report
                    (echo x > %1$s/a.jar) 2>/dev/null && echo "wrote=jar" >> report
                    echo x > /tmp/private && echo "tmp=ok" >> report
                    """.formatted(lib), 64, 64);
            assertThat(exit(withLib.start(l))).isZero();
            assertThat(Files.readString(l.workDir().resolve("report"))).contains("jar=jar\n").contains("tmp=ok").doesNotContain("wrote=");
            assertThat(Files.readString(lib.resolve("a.jar"))).isEqualTo("jar");
        } finally {
            try (var files = Files.walk(root)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    @Test
    void memoryOverTheLimitIsAnOomKillOfThatWorkloadOnly() throws Exception {
        Launch l = launch("hog", "x=a; while :; do x=$x$x; done", 32, 64);
        RunningWorkload run = runtime.start(l);
        assertThat(exit(run)).isEqualTo(137);
        assertThat(run.oomKilled()).isTrue();
        Launch calm = launch("calm", "exit 3", 32, 64);
        RunningWorkload other = runtime.start(calm);
        assertThat(exit(other)).isEqualTo(3);
        assertThat(other.oomKilled()).isFalse();
    }

    @Test
    void aForkBombIsHeldAtItsProcessLimit() throws Exception {
        // dash gives up (exit 2) when it cannot fork: the count it wrote last is how far it got.
        Launch l = launch("bomb", "n=0; while [ $n -lt 600 ]; do sleep 30 & n=$((n+1)); echo $n > count; done; sleep 30", 64, 20);
        RunningWorkload run = runtime.start(l);
        assertThat(exit(run)).isEqualTo(2);
        assertThat(Integer.parseInt(Files.readString(l.workDir().resolve("count")).trim())).isBetween(1, 20);
    }

    @Test
    void stopAsksTheWorkloadFirstThenRemovesItsCgroup() throws Exception {
        Launch l = launch("polite", "trap 'echo bye > said; exit 0' TERM; echo up > said; while :; do sleep 0.1; done", 32, 64);
        RunningWorkload run = runtime.start(l);
        Path said = l.workDir().resolve("said");
        long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!Files.exists(said) && System.nanoTime() < until) Thread.sleep(50);
        run.stop(Duration.ofSeconds(10));
        assertThat(Files.readString(said).trim()).isEqualTo("bye");
        String name = (l.node() + "-" + l.id());
        assertThat(Path.of("/sys/fs/cgroup/memory/lattice", name)).doesNotExist();
        assertThat(Path.of("/sys/fs/cgroup/lattice", name)).doesNotExist();
    }

    @Test
    void aRuntimeWithoutASandboxRefusesUserWorkloadsAndSaysWhatIsMissing() throws Exception {
        Launch l = launch("refused", "exit 0", 32, 64);
        var bare = new ProcessRuntime(new SandboxSupport(java.util.Optional.empty(), List.of("bubblewrap (apt-get install bubblewrap)")), List.of());
        assertThatThrownBy(() -> bare.start(l)).isInstanceOf(IOException.class)
                .hasMessageContaining("apt-get install bubblewrap").hasMessageContaining("--insecure-workloads");
    }
}
