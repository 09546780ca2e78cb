package dev.lattice.bench;

import dev.lattice.agent.runtime.Launch;
import dev.lattice.agent.runtime.RunningWorkload;
import dev.lattice.agent.runtime.Sandbox;
import dev.lattice.agent.runtime.process.ProcessRuntime;
import dev.lattice.agent.runtime.sandbox.SandboxSupport;
import dev.lattice.agent.runtime.sandbox.UidPool;
import dev.lattice.workloads.WorkloadSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The sandbox's cost on a workload start (issue 11's goal: at most 50 ms at p50), measured on the
 * agent's own process runtime: a workload that does nothing ({@code /bin/true}) started and waited
 * for, RUNS times unconfined (as a platform service starts) and RUNS times confined (cgroup created
 * and joined, bubblewrap, setpriv, cgroup removed), interleaved so that the machine's drift falls
 * on both alike. Prints p50/p90/max of each and the difference of the medians.
 */
public final class SandboxBench {
    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        SandboxSupport support = SandboxSupport.detect();
        if (!support.available()) {
            System.out.println("sandbox: this host cannot sandbox (" + String.join(", ", support.missing()) + "): skipped");
            return;
        }
        Path dir = Files.createTempDirectory("lattice-sandbox-bench");
        ProcessRuntime runtime = new ProcessRuntime(support, List.of(Path.of(System.getProperty("java.home"))));
        UidPool uids = new UidPool(dir.resolve("uids"));
        int uid = uids.acquire();
        Path folder = Files.createDirectories(dir.resolve("data/nodes/n1/workloads/w"));
        new ProcessBuilder("chown", uid + ":" + uid, folder.toString()).start().waitFor();
        var spec = new WorkloadSpec(List.of("/bin/true"), null, Map.of(), null, null);
        Path log = dir.resolve("w.log");
        Launch plain = new Launch("w", "bench", spec, Map.of(), folder, log, List.of(), null);
        Launch confined = new Launch("w", "bench", spec, Map.of(), folder, log, List.of(),
                new Sandbox(uid, uid, 64, 0.5, 64, List.of(dir.resolve("data")), folder));
        for (int i = 0; i < 5; i++) { // warm-up: the JIT, the page cache
            time(runtime, plain);
            time(runtime, confined);
        }
        List<Double> a = new ArrayList<>();
        List<Double> b = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            a.add(time(runtime, plain));
            b.add(time(runtime, confined));
        }
        uids.release(uid);
        print("unconfined (baseline)", a);
        print("sandboxed (" + support.describe() + ")", b);
        System.out.printf("sandbox cost on a start, p50: %+.1f ms (goal <= 50 ms)%n", p(b, 50) - p(a, 50));
    }

    /** Milliseconds from start to exit of one run. */
    private static double time(ProcessRuntime runtime, Launch launch) throws Exception {
        long t0 = System.nanoTime();
        RunningWorkload run = runtime.start(launch);
        int code = run.exit().get(30, TimeUnit.SECONDS);
        if (code != 0) throw new IllegalStateException("the workload exited with " + code + ": see " + launch.logFile());
        return (System.nanoTime() - t0) / 1e6;
    }

    private static void print(String what, List<Double> ms) {
        System.out.printf("sandbox: %-40s start->exit p50 %.1f ms, p90 %.1f ms, max %.1f ms (%d runs)%n", what, p(ms, 50), p(ms, 90),
                Collections.max(ms), ms.size());
    }

    private static double p(List<Double> ms, int pct) {
        List<Double> s = new ArrayList<>(ms);
        Collections.sort(s);
        return s.get(Math.min(s.size() - 1, (int) Math.ceil(pct / 100.0 * s.size()) - 1));
    }
}
