package dev.lattice.bench;

import dev.lattice.core.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

/**
 * bench/deploy: how fast a real {@code lattice up --nodes 3} turns deployments into running
 * workloads (request → the API shows RUNNING), brings back a killed workload, and moves the
 * workloads of a frozen node; with, in the same run, the same command started directly as the
 * floor the platform's overhead is measured against. Workloads are {@code sleep} with an
 * argument unique to the run, so the process table tells them apart from anything else.
 */
public final class DeployBench {
    static final Duration PACE = Duration.ofMillis(100);
    static final Duration POLL = Duration.ofMillis(20);
    static final Duration WAIT = Duration.ofSeconds(120);

    final Platform platform;
    final String token;
    final Poller poller;
    final EventLog events;
    final String runtime;
    final int n;
    /** The single-replica deployments' command, and the many-replica one's: distinct, so each can be counted. */
    final List<String> single;
    final List<String> many;
    /** Six digits unique to the run: in every command line and container of it. */
    final String tag;
    final Report report = new Report();

    private DeployBench(Platform platform, String runtime, int n, String tag) throws Exception {
        this.platform = platform;
        this.runtime = runtime;
        this.n = n;
        this.tag = tag;
        this.single = List.of("sleep", "3700." + tag);
        this.many = List.of("sleep", "3701." + tag);
        this.token = platform.adminToken();
        this.poller = new Poller(platform, token, POLL);
        this.events = new EventLog(platform.kafkaClient());
    }

    public static void main(String[] args) throws Exception {
        String runtime = "process";
        int n = 100;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--runtime") && i + 1 < args.length) runtime = args[++i];
            else if (args[i].matches("\\d+")) n = Integer.parseInt(args[i]);
            else throw new IllegalArgumentException("usage: bench/deploy [--runtime process|docker] [WORKLOADS]");
        }
        if (!runtime.equals("process") && !runtime.equals("docker")) throw new IllegalArgumentException("--runtime process|docker");
        String tag = String.format("%06d", ThreadLocalRandom.current().nextInt(1_000_000));
        Path root = Path.of(System.getProperty("lattice.root", ".")).toAbsolutePath();
        Cleanup cleanup = new Cleanup(List.of(List.of("sleep", "3700." + tag), List.of("sleep", "3701." + tag)), tag);
        Runtime.getRuntime().addShutdownHook(new Thread(cleanup::onSignal)); // Ctrl-C: no frozen agent, no stray workload
        String loadBefore = Report.loadAverage();
        System.err.printf("bench/deploy: starting lattice up --nodes 3 --runtime %s (load average %s)%n", runtime, loadBefore);
        Platform platform = Platform.start(root, List.of("--nodes", "3", "--runtime", runtime)); // stops itself if it fails
        cleanup.platform = platform;
        boolean ok = false;
        DeployBench bench = null;
        try {
            bench = new DeployBench(platform, runtime, n, tag);
            Report report = bench.report;
            String rt = runtime;
            cleanup.interrupted = () -> {
                report.line("  INTERRUPTED (signal): the figures above are all there is");
                report.print(rt);
            };
            Disruptions disruptions = new Disruptions(bench, cleanup.stopped);
            bench.report.header(String.format("bench/deploy: lattice up --nodes 3 --runtime %s, %d workloads, %d cores, load average %s at start",
                    runtime, n, Runtime.getRuntime().availableProcessors(), loadBefore));
            bench.deployments();
            bench.baseline();
            bench.idleCpu(Duration.ofSeconds(10));
            bench.oneDeployment();
            disruptions.restarts(10);
            disruptions.nodeLoss(List.of("n2", "n3", "n2"));
            bench.deleteAll();
            bench.report.line("  load average at the end: " + Report.loadAverage() + "; poll errors: " + bench.poller.errors());
            ok = true;
            cleanup.keepData = Boolean.getBoolean("bench.keep"); // -Dbench.keep=true: logs and Kafka log to read afterwards
            if (cleanup.keepData) System.err.println("bench/deploy: data kept in " + platform.data);
        } finally {
            if (bench != null) {
                bench.poller.close();
                bench.events.close();
                bench.report.print(runtime);
            }
            if (!ok) System.err.println("bench/deploy failed; platform log: " + platform.log() + ", data: " + platform.data);
            cleanup.run(); // continues what is frozen before it stops the platform: a stopped agent cannot stop
        }
    }

    /** WORKLOADS single-replica deployments, one every {@link #PACE}, each timed from just before its POST to RUNNING in the API. */
    void deployments() throws Exception {
        System.err.printf("bench/deploy: %d deployments, one every %d ms%n", n, PACE.toMillis());
        long[] running = new long[n];
        long[] answered = new long[n];
        Instant[] posted = new Instant[n];
        List<Future<?>> waits = new ArrayList<>();
        poller.pollTimes(); // from here on
        long start = System.nanoTime();
        try (ExecutorService waiters = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < n; i++) {
                long due = start + i * PACE.toNanos();
                if (due > System.nanoTime()) LockSupport.parkNanos(due - System.nanoTime());
                String name = "bd-" + i;
                posted[i] = Instant.now();
                long t0 = System.nanoTime();
                var r = platform.send("POST", "/api/v1/deployments", token, Json.string(Map.of("name", name, "command", single)));
                answered[i] = (System.nanoTime() - t0) / 1000;
                if (r.statusCode() != 201) throw new IllegalStateException("POST " + name + ": " + r.statusCode() + " " + r.body());
                int k = i;
                waits.add(waiters.submit(() -> {
                    var s = poller.await(sn -> sn.workloads().values().stream().anyMatch(w -> name.equals(w.deployment()) && w.running()), WAIT);
                    running[k] = (s.at() - t0) / 1000;
                    return null;
                }));
            }
            for (Future<?> f : waits) f.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        var s = poller.latest();
        report.section(String.format("Deploy: %d single-replica deployments in %.1f s (request -> API shows RUNNING, polled every %d ms)",
                n, seconds, POLL.toMillis()));
        report.figure("POST /api/v1/deployments answered", Tally.percentiles(answered.clone()), null);
        double[] deploy = Tally.percentiles(running.clone());
        report.figure("request -> RUNNING", deploy, runtime.equals("docker") ? 3000.0 : 1500.0);
        double[] polls = poller.pollTimes();
        report.line(String.format("  (one poll: GET /api/v1/workloads, every %d ms, took p50 %.0f ms, p99 %.0f ms)", POLL.toMillis(), polls[0], polls[1]));
        report.deploy = deploy;
        int third = Math.max(1, n / 3);
        report.line(String.format("  p50 of the first %d: %.0f ms, of the last %d: %.0f ms (the nodes hold more workloads by then)", third,
                Tally.percentiles(Arrays.copyOfRange(running, 0, third))[0], third, Tally.percentiles(Arrays.copyOfRange(running, n - third, n))[0]));
        report.line("  placed per node: " + perNode(s, DeployBench::isSingle));

        Thread.sleep(1000); // the last events to arrive
        Map<String, String> idOf = s.workloads().values().stream().filter(w -> w.deployment() != null && w.deployment().startsWith("bd-"))
                .collect(Collectors.toMap(Poller.W::deployment, Poller.W::id, (a, b) -> a));
        Report.Stages st = new Report.Stages("request -> deployer accepted (event deployed)", "-> placed on a node (event placed)",
                "-> process started by the agent (event started)", "-> RUNNING seen through the API");
        for (int i = 0; i < n; i++) {
            String id = idOf.get("bd-" + i);
            Instant seen = posted[i].plusNanos(running[i] * 1000);
            Optional<Instant> deployed = events.first("deployed", "deployment/bd-" + i, posted[i].minusMillis(5)).map(EventLog.Event::ts);
            Optional<Instant> placed = id == null ? Optional.empty() : events.first("placed", "workload/" + id, posted[i].minusMillis(5)).map(EventLog.Event::ts);
            Optional<Instant> started = id == null ? Optional.empty() : events.first("started", "workload/" + id, posted[i].minusMillis(5)).map(EventLog.Event::ts);
            st.add(posted[i], List.of(deployed, placed, started, Optional.of(seen)));
        }
        st.report(report, "where the time goes (from the services' events, p50 / p99 of each step)");
    }

    /**
     * CPU used by each platform process over {@code window} while nothing happens but
     * WORKLOADS idle workloads running: what supervising and reporting them costs.
     */
    void idleCpu(Duration window) throws Exception {
        Map<Long, String> who = new TreeMap<>();
        who.put(platform.pid(), "up (with Kafka)");
        // up's children, and with the docker runtime the services' containers, which up gives LATTICE_DATA
        java.util.Set<Long> ours = new java.util.TreeSet<>();
        platform.descendants().forEach(h -> ours.add(h.pid()));
        String data = platform.data.toAbsolutePath().normalize().toString();
        for (long pid : ProcTable.pids()) if (data.equals(ProcTable.environ(pid).get("LATTICE_DATA"))) ours.add(pid);
        ours.forEach(pid -> {
            List<String> c = ProcTable.cmdline(pid);
            if (c == null) return;
            String line = String.join(" ", c);
            int a = line.indexOf(" agent --node ");
            int sv = line.indexOf(" service ");
            if (a >= 0) who.put(pid, "agent " + line.substring(a + 14).split(" ")[0]);
            else if (sv >= 0) who.put(pid, line.substring(sv + 9).split(" ")[0]);
        });
        poller.pause(true);
        Thread.sleep(1000); // the last poll answered
        Map<Long, Long> before = new TreeMap<>();
        who.keySet().forEach(pid -> before.put(pid, ProcTable.cpuMillis(pid)));
        Thread.sleep(window.toMillis());
        poller.pause(false);
        Map<String, Long> used = new TreeMap<>();
        who.forEach((pid, name) -> used.merge(name, ProcTable.cpuMillis(pid) - before.get(pid), Long::sum));
        long total = used.values().stream().mapToLong(Long::longValue).sum();
        report.line(String.format("  CPU of the platform with %d idle workloads, over %d s, API not polled: %.0f %% of one core in all; %s", n,
                window.toSeconds(), 100.0 * total / window.toMillis(), used.entrySet().stream()
                        .map(e -> String.format("%s %.0f %%", e.getKey(), 100.0 * e.getValue() / window.toMillis()))
                        .collect(Collectors.joining(", "))));
    }

    /** The same command started directly, WORKLOADS times at the same pace: the floor. */
    void baseline() throws Exception {
        List<String> cmd = List.of("sleep", "3702." + tag);
        long[] micros;
        String what;
        if (runtime.equals("docker")) {
            // At most 50: each is a CLI process and a container, and on a busy engine one takes seconds.
            int runs = Math.min(n, 50);
            micros = Baseline.docker(cmd, runs, PACE, tag);
            what = "baseline: " + runs + " x docker run -d --init --network host (CLI returns)";
        } else {
            micros = Baseline.process(cmd, n, PACE, platform.data);
            what = "baseline: ProcessBuilder.start() of setsid sleep";
        }
        if (micros == null) {
            report.line("  baseline: skipped (no docker engine or no " + Baseline.RUNTIME_IMAGE + " image)");
            return;
        }
        double[] base = Tally.percentiles(micros);
        report.figure(what, base, null);
        report.line(String.format("  platform overhead (request -> RUNNING minus baseline): p50 %.0f ms, p99 %.0f ms",
                report.deploy[0] - base[0], report.deploy[1] - base[1]));
    }

    /** One deployment of WORKLOADS replicas (at most the API's 100): request -> every replica RUNNING; then delete -> gone. */
    void oneDeployment() throws Exception {
        int m = Math.min(n, 100);
        System.err.printf("bench/deploy: one deployment of %d replicas%n", m);
        long t0 = System.nanoTime();
        var r = platform.send("POST", "/api/v1/deployments", token, Json.string(Map.of("name", "bd-many", "command", many, "replicas", m)));
        if (r.statusCode() != 201) throw new IllegalStateException("POST bd-many: " + r.statusCode() + " " + r.body());
        long[] first = {0};
        var all = poller.await(s -> {
            long up = s.count(w -> "bd-many".equals(w.deployment()) && w.running());
            if (up > 0 && first[0] == 0) first[0] = s.at();
            return up == m;
        }, WAIT);
        report.section(String.format("One deployment of %d replicas", m));
        report.line(String.format("  request -> first replica RUNNING %8.0f ms; -> all %d RUNNING %8.0f ms",
                (first[0] - t0) / 1e6, m, (all.at() - t0) / 1e6));
        report.line("  placed per node: " + perNode(all, w -> "bd-many".equals(w.deployment())));

        Map<String, List<String>> idsByNode = new TreeMap<>(all.workloads().values().stream().filter(w -> "bd-many".equals(w.deployment()))
                .collect(Collectors.groupingBy(w -> String.valueOf(w.node()), Collectors.mapping(Poller.W::id, Collectors.toList()))));
        Instant asked = Instant.now();
        long t1 = System.nanoTime();
        platform.send("DELETE", "/api/v1/deployments/bd-many", token, null);
        long gone = untilCount(many, 0);
        report.line(String.format("  DELETE -> every replica's process gone          %8.0f ms", (gone - t1) / 1e6));
        Thread.sleep(1000); // the last events to arrive
        // The deployer removes the workloads; each agent then stops its copies: which of the two took the time?
        List<String> perNode = new ArrayList<>();
        Instant removed = asked;
        for (var e : idsByNode.entrySet()) {
            Instant earliest = null;
            Instant latest = null;
            for (String id : e.getValue()) {
                Optional<Instant> rm = events.first("removed", "workload/" + id, asked).map(EventLog.Event::ts);
                if (rm.isPresent() && rm.get().isAfter(removed)) removed = rm.get();
                Optional<Instant> st = events.first("stopped", "workload/" + id, asked).map(EventLog.Event::ts);
                if (st.isEmpty()) continue;
                if (earliest == null || st.get().isBefore(earliest)) earliest = st.get();
                if (latest == null || st.get().isAfter(latest)) latest = st.get();
            }
            if (earliest != null) perNode.add(String.format("%s %.1f-%.1f s", e.getKey(), secondsBetween(asked, earliest), secondsBetween(asked, latest)));
        }
        report.line(String.format("  where the time goes: the deployer had removed all %d workloads after %.1f s; agents stopped theirs (first-last event stopped): %s",
                m, secondsBetween(asked, removed), String.join(", ", perNode)));
    }

    static double secondsBetween(Instant a, Instant b) {
        return Duration.between(a, b).toMillis() / 1000.0;
    }

    /** Deletes the single-replica deployments, timed until their processes are gone. */
    void deleteAll() throws Exception {
        System.err.println("bench/deploy: deleting the deployments");
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) platform.send("DELETE", "/api/v1/deployments/bd-" + i, token, null);
        long asked = System.nanoTime();
        long gone = untilCount(single, 0);
        report.section("Clean-up");
        report.line(String.format("  %d DELETEs took %.0f ms; first DELETE -> every process gone %.0f ms", n, (asked - t0) / 1e6, (gone - t0) / 1e6));
        if (runtime.equals("docker")) {
            Thread.sleep(2000); // removal follows the stop
            List<String[]> left = Baseline.containersOf(tag);
            report.line("  containers of this run still in the engine 2 s after every workload process ended: "
                    + (left.isEmpty() ? "none" : Baseline.describe(left)));
        }
    }

    /** Polls the process table every {@link #POLL} until {@code command} runs {@code want} times; returns when. */
    static long untilCount(List<String> command, int want) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (ProcTable.count(command) != want) {
            if (System.nanoTime() > deadline) throw new IllegalStateException(command + " still runs " + ProcTable.count(command) + " times, not " + want);
            Thread.sleep(POLL.toMillis());
        }
        return System.nanoTime();
    }

    /** One of the single-replica deployments' workloads (bd-0 .. bd-N-1, not bd-many). */
    static boolean isSingle(Poller.W w) {
        return w.deployment() != null && w.deployment().matches("bd-\\d+");
    }

    static String perNode(Poller.Snapshot s, java.util.function.Predicate<Poller.W> which) {
        Map<String, Long> counts = new TreeMap<>(s.workloads().values().stream().filter(which)
                .collect(Collectors.groupingBy(w -> String.valueOf(w.node()), Collectors.counting())));
        return counts.toString();
    }

    /**
     * What must not outlive the benchmark: processes it froze (continued, or their node's agent
     * stays frozen), the platform, and any workload process or baseline container left behind.
     */
    static final class Cleanup {
        final List<Long> stopped = new java.util.concurrent.CopyOnWriteArrayList<>();
        final List<List<String>> commands;
        final String tag;
        volatile Platform platform;
        /** Kept for reading after a failed run; deleted after a good one. */
        volatile boolean keepData = true;
        private final AtomicBoolean done = new AtomicBoolean();

        Cleanup(List<List<String>> commands, String tag) {
            this.commands = commands;
            this.tag = tag;
        }

        /** Prints what was measured when a signal ends the run; the normal end prints it itself. */
        volatile Runnable interrupted;

        /** From the shutdown hook: a signal ended the run (after a normal end, run() has been called already). */
        void onSignal() {
            if (done.get()) return;
            Runnable r = interrupted;
            if (r != null) r.run();
            run();
        }

        void run() {
            if (!done.compareAndSet(false, true)) return;
            try {
                ProcTable.signal("CONT", stopped);
                if (platform != null) platform.close();
                int left = 0;
                for (List<String> c : commands) left += ProcTable.killAll(c);
                if (left > 0) System.out.println("  LEFT BEHIND after lattice up stopped: " + left + " workload process(es), killed now");
                Baseline.removeContainers(tag);
                String containers = Baseline.removeWorkloadContainers(tag);
                if (containers != null) System.out.println("  LEFT BEHIND after lattice up stopped: " + containers + "; removed now");
                if (platform != null && !keepData && left == 0) deleteTree(platform.data.getParent());
            } catch (Exception e) {
                System.err.println("bench/deploy: clean-up: " + e);
            }
        }

        static void deleteTree(Path dir) throws java.io.IOException {
            try (var walk = Files.walk(dir)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
            Files.deleteIfExists(dir.resolveSibling(dir.getFileName() + ".log"));
        }
    }
}
