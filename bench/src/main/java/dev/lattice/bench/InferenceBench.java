package dev.lattice.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.lattice.core.Json;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * bench/inference: what it costs to call a model through the platform. The same model and request
 * (a) in this JVM through ONNX Runtime and the contract — the baseline, (b) on its model server over
 * HTTP, (c) through the gateway with a bearer token; each at a fixed rate (open loop, latency from
 * the intended send time) and flat out (a few callers, closed loop). A fixed-answer HTTP server in
 * this JVM gives the floor of an HTTP round trip with the same client.
 */
public final class InferenceBench {
    static final String MODEL = "iris";
    /** The same model with its contract in Python. */
    static final String PY_MODEL = "iris-py";
    static final String REQUEST = "{\"sepal_length\":5.1,\"sepal_width\":3.5,\"petal_length\":1.4,\"petal_width\":0.2}";
    /** Issue 5's targets, for the gateway at 500 requests/s. */
    static final int TARGET_RATE = 500;
    /** The replica's CPU reservation, and so its sandbox's cap: one core (the example asks for 0.25). */
    static final String SERVER_CPU = "1";
    static final double TARGET_P50_OVERHEAD_MS = 1.0;
    static final double TARGET_P99_MS = 5.0;
    /** Issue 13: the gateway's flat-out rate against the model server's, p99 at half the gateway's capacity, the server against the floor. */
    static final double TARGET_GATEWAY_RATIO = 0.7;
    static final double TARGET_HALF_P99_MS = 10.0;
    static final double TARGET_SERVER_RATIO = 0.5;

    /** One way of asking for a prediction; returns the answer's bytes, throws on any failure. */
    interface Caller {
        byte[] call() throws Exception;
    }

    /** A way of calling, the processes whose CPU its phases are charged with, and what it measured. */
    static final class Target {
        final String name;
        final Caller caller;
        Load.Result fixed;
        Load.Result flat;
        /** Only the gateway: at half of its own flat-out rate, open loop. */
        Load.Result half;
        String cpuFixed = "";
        String cpuFlat = "";
        String cpuHalf = "";

        Target(String name, Caller caller) {
            this.name = name;
            this.caller = caller;
        }

        /** Half of its measured flat-out rate, requests/s. */
        int halfRate() {
            return Math.max(1, (int) (flat.perSecond() / 2));
        }
    }

    private final List<String> lines = new ArrayList<>();
    private final AtomicBoolean printed = new AtomicBoolean();
    private final Duration window;
    private final int rate;
    private final int callers;
    /** The processes whose CPU each phase reports, by name (filled once they are known). */
    private final Map<String, Long> watched = new LinkedHashMap<>();
    /** The replica measured in (b), once found: it must not outlive the platform. */
    private volatile ModelDeployment.Server server;
    /** The replica of {@value #PY_MODEL} measured in (d). */
    private volatile ModelDeployment.Server pyServer;

    private InferenceBench(Duration window, int rate, int callers) {
        this.window = window;
        this.rate = rate;
        this.callers = callers;
        watched.put("bench", ProcessHandle.current().pid());
    }

    public static void main(String[] args) throws Exception {
        int[] a = {10, TARGET_RATE, 4}; // SECONDS RATE CALLERS
        if (args.length > 3) throw new IllegalArgumentException("usage: bench/inference [SECONDS] [RATE] [CALLERS]");
        for (int i = 0; i < args.length; i++) {
            if (!args[i].matches("[1-9]\\d*")) throw new IllegalArgumentException("usage: bench/inference [SECONDS] [RATE] [CALLERS]");
            a[i] = Integer.parseInt(args[i]);
        }
        InferenceBench bench = new InferenceBench(Duration.ofSeconds(a[0]), a[1], a[2]);
        Path root = Path.of(System.getProperty("lattice.root", ".")).toAbsolutePath();
        Path folder = root.resolve("examples/models/" + MODEL);
        String loadBefore = Report.loadAverage();
        int others = otherPlatforms();
        bench.line(String.format("bench/inference: model %s (examples/models/%s), %d s per phase, fixed rate %d requests/s, flat out with %d callers; "
                + "%d cores, load average %s at start, other `lattice up` running: %d", MODEL, MODEL, a[0], a[1], a[2],
                Runtime.getRuntime().availableProcessors(), loadBefore, others));
        // The baseline first: a build without the model classes or a broken model fails before the platform starts.
        try (InProcessModel local = new InProcessModel(folder.resolve("model.onnx"), Files.readString(folder.resolve("contract.yaml")))) {
            System.err.printf("bench/inference: starting lattice up (load average %s)%n", loadBefore);
            bench.runOn(Platform.start(root), local, folder); // start() stops what it started if it fails
        }
    }

    /** Runs the benchmark on {@code platform}, prints the figures (also after a failure or a signal) and stops it. */
    void runOn(Platform platform, InProcessModel local, Path folder) throws Exception {
        AtomicBoolean closed = new AtomicBoolean();
        Runnable stop = () -> {
            if (!closed.compareAndSet(false, true)) return;
            try {
                platform.close();
            } catch (Exception e) {
                System.err.println("bench/inference: stopping the platform: " + e);
            }
        };
        Runtime.getRuntime().addShutdownHook(new Thread(() -> { // Ctrl-C: what was measured, and no platform left running
            if (!printed.get()) {
                line("  INTERRUPTED (signal): the figures above are all there is");
                print();
            }
            stop.run();
        }));
        boolean ok = false;
        try {
            run(platform, local, folder);
            ok = true;
        } finally {
            print();
            stop.run();
            if (pyServer != null && !gone(pyServer.pid(), Duration.ofSeconds(5))) ProcTable.kill9(pyServer.pid());
            if (server != null && !gone(server.pid(), Duration.ofSeconds(5))) {
                ProcTable.kill9(server.pid());
                System.out.println("  LEFT BEHIND after lattice up stopped: the model server, pid " + server.pid() + ", killed now");
                ok = false;
            }
            if (!ok) System.err.println("bench/inference failed; platform log: " + platform.log() + ", data: " + platform.data);
            else if (Boolean.getBoolean("bench.keep")) System.err.println("bench/inference: data kept in " + platform.data);
            else DeployBench.Cleanup.deleteTree(platform.data.getParent());
        }
    }

    /** Whether process {@code pid} has ended, waiting for it up to {@code grace}. */
    static boolean gone(long pid, Duration grace) {
        var h = ProcessHandle.of(pid);
        if (h.isEmpty()) return true;
        try {
            h.get().onExit().get(grace.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            return true;
        } catch (Exception stillThere) {
            return !h.get().isAlive();
        }
    }

    void run(Platform platform, InProcessModel local, Path folder) throws Exception {
        byte[] body = REQUEST.getBytes(StandardCharsets.UTF_8);
        String token = platform.adminToken();
        long t0 = System.nanoTime();
        ModelDeployment.upload(platform, token, folder, SERVER_CPU);
        long t1 = System.nanoTime();
        ModelDeployment.deployAndWait(platform, token, MODEL);
        long t2 = System.nanoTime();
        server = ModelDeployment.findServer(platform, MODEL);
        // The same model with contract.py, for (d): what a Python contract adds over the YAML one.
        ModelDeployment.upload(platform, token, folder, SERVER_CPU, "contract.py", PY_MODEL);
        ModelDeployment.deployAndWait(platform, token, PY_MODEL);
        pyServer = ModelDeployment.findServer(platform, PY_MODEL);
        watched.put("model server (py)", pyServer.pid());
        watched.put("model server", server.pid());
        ProcTable.find(" service gateway", platform.descendants()).ifPresent(pid -> watched.put("gateway", pid));
        line(String.format("  upload (POST /api/v1/models, resources.cpu " + SERVER_CPU + ": the replica's cap) %.0f ms; deploy 1 replica -> READY %.1f s", (t1 - t0) / 1e6, (t2 - t1) / 1e9));
        line("  model server for (b): " + server.how() + " (pid " + server.pid() + ", port " + server.port() + ")");

        // HTTP/1.1 on purpose: the default (HTTP/2) would try an h2c upgrade on plain http.
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpServer floor = floorServer(local.predict(body));
        try {
            List<Target> targets = List.of(
                    new Target("(a) in-process: ONNX Runtime + contract", () -> local.predict(body)),
                    new Target("(b) model server: POST /predict", post(client, "http://127.0.0.1:" + server.port() + "/predict", server.key(), body)),
                    new Target("(c) gateway: POST /api/v1/models/" + MODEL + "/predict", post(client,
                            "http://127.0.0.1:" + platform.port + "/api/v1/models/" + MODEL + "/predict", token, body)),
                    new Target("HTTP floor: same client, fixed answer", post(client,
                            "http://127.0.0.1:" + floor.getAddress().getPort() + "/predict", server.key(), body)),
                    new Target("(d) model server, contract.py: POST /predict", post(client,
                            "http://127.0.0.1:" + pyServer.port() + "/predict", pyServer.key(), body)));
            answers(targets);
            for (Target t : targets) measure(t);
            results(targets);
        } finally {
            floor.stop(0);
        }
        line("  load average at the end: " + Report.loadAverage());
    }

    /** Every way must give the same answer before anything is timed. */
    void answers(List<Target> targets) throws Exception {
        byte[] expected = targets.get(0).caller.call();
        line("  request: " + REQUEST + "; answer (a): " + new String(expected, StandardCharsets.UTF_8));
        for (Target t : targets.subList(1, 3)) {
            byte[] got = t.caller.call();
            boolean same = Json.read(expected, JsonNode.class).equals(Json.read(got, JsonNode.class));
            line("  answer " + t.name.substring(0, 3) + ": " + (same ? "the same" : "DIFFERENT: " + new String(got, StandardCharsets.UTF_8)));
        }
        // Python computes in float64 where the YAML contract mixes float and double: the same label, probabilities within 1e-5.
        JsonNode want = Json.read(expected, JsonNode.class), py = Json.read(targets.get(4).caller.call(), JsonNode.class);
        boolean close = want.get("label").equals(py.get("label"));
        for (var f : (Iterable<Map.Entry<String, JsonNode>>) want.get("probabilities")::fields)
            close &= Math.abs(f.getValue().asDouble() - py.path("probabilities").path(f.getKey()).asDouble(-1)) < 1e-5;
        line("  answer (d): " + (close ? "the same label, probabilities within 1e-5" : "DIFFERENT: " + py));
        if (!close) throw new IllegalStateException("the Python contract answers differently: " + py);
    }

    /** Warm-up (flat out, not recorded: JIT in every JVM on the path), then the fixed-rate phase, then flat out. */
    void measure(Target t) throws Exception {
        System.err.printf("bench/inference: %s%n", t.name);
        Load.flatOut(t.caller::call, callers, Duration.ofSeconds(Math.min(3, window.toSeconds())));
        Map<String, Long> cpu = cpu();
        t.fixed = Load.fixedRate(t.caller::call, rate, window, callers);
        t.cpuFixed = cpuSince(cpu, t.fixed.seconds());
        cpu = cpu();
        t.flat = Load.flatOut(t.caller::call, callers, window);
        t.cpuFlat = cpuSince(cpu, t.flat.seconds());
        if (t.name.startsWith("(c)")) {
            cpu = cpu();
            t.half = Load.fixedRate(t.caller::call, t.halfRate(), window, callers);
            t.cpuHalf = cpuSince(cpu, t.half.seconds());
        }
    }

    void results(List<Target> targets) {
        Target a = targets.get(0), b = targets.get(1), c = targets.get(2), floor = targets.get(3);
        line(String.format("  calibration: HTTP floor (same client, fixed answer from a JDK HttpServer in the bench JVM) %,.0f/s flat out, p50 %.3f ms at %d/s",
                floor.flat.perSecond(), floor.fixed.p()[0], rate));
        line(String.format("Fixed rate %d requests/s, open loop (latency from the intended send time), %d s each", rate, window.toSeconds()));
        line(String.format("  %-48s %8s %7s %8s %9s %9s %9s   %s", "", "answered", "errors", "per s", "p50 ms", "p99 ms", "max ms", "CPU, % of one core"));
        for (Target t : targets) row(t, t.fixed, t.cpuFixed);
        line("  sent late by, p50 / p99 / max ms (the harness's wake-ups, and answers that came after the caller's next send was due): "
                + targets.stream().map(t -> String.format("%s %.3f / %.3f / %.1f", t.name.substring(0, t.name.indexOf(':')), t.fixed.late()[0],
                        t.fixed.late()[1], t.fixed.late()[2])).collect(java.util.stream.Collectors.joining("; ")));
        line(String.format("Flat out, closed loop, %d callers, %d s each", callers, window.toSeconds()));
        line(String.format("  %-48s %8s %7s %8s %9s %9s %9s   %s", "", "answered", "errors", "per s", "p50 ms", "p99 ms", "max ms", "CPU, % of one core"));
        for (Target t : targets) row(t, t.flat, t.cpuFlat);
        line("Overhead (difference and ratio)");
        line(String.format("  %-34s %-24s %-24s %-18s %s", "", "p50 at " + rate + "/s", "p99 at " + rate + "/s", "flat-out per s", "flat-out p50"));
        overhead("(b) server vs (a) in-process", b, a);
        overhead("(c) gateway vs (b) server", c, b);
        overhead("(c) gateway vs (a) in-process", c, a);
        overhead("(d) contract.py vs (b) YAML", targets.get(4), b);
        line(String.format("Gateway at half its flat-out rate (%d/s), open loop, %d s", c.halfRate(), window.toSeconds()));
        row(c, c.half, c.cpuHalf);
        double gatewayRatio = c.flat.perSecond() / b.flat.perSecond(), serverRatio = b.flat.perSecond() / floor.flat.perSecond();
        line(String.format("Targets (issue 13): gateway flat out %.2f x the model server's >= %.1f: %s; p99 at half the gateway's capacity "
                + "%.2f ms <= %.0f ms: %s; model server %.2f x the HTTP floor >= %.1f: %s", gatewayRatio, TARGET_GATEWAY_RATIO,
                gatewayRatio >= TARGET_GATEWAY_RATIO ? "met" : "NOT MET", c.half.p()[1], TARGET_HALF_P99_MS,
                c.half.p()[1] <= TARGET_HALF_P99_MS ? "met" : "NOT MET", serverRatio, TARGET_SERVER_RATIO,
                serverRatio >= TARGET_SERVER_RATIO ? "met" : "NOT MET"));
        double p50Overhead = c.fixed.p()[0] - a.fixed.p()[0];
        double p99 = c.fixed.p()[1];
        line(String.format("Targets (issue 5, gateway at %d requests/s%s): p50 overhead over in-process %.2f ms <= %.1f ms: %s; "
                + "p99 %.2f ms <= %.1f ms: %s (p99 overhead over in-process %.2f ms)", TARGET_RATE,
                rate == TARGET_RATE ? "" : "; THIS RUN used " + rate + "/s, so the verdicts do not apply", p50Overhead, TARGET_P50_OVERHEAD_MS,
                p50Overhead <= TARGET_P50_OVERHEAD_MS ? "met" : "NOT MET", p99, TARGET_P99_MS, p99 <= TARGET_P99_MS ? "met" : "NOT MET",
                p99 - a.fixed.p()[1]));
    }

    private void row(Target t, Load.Result r, String cpu) {
        line(String.format("  %-48s %8d %7d %8.0f %9.3f %9.3f %9.1f   %s", t.name, r.requests(), r.errors(), r.perSecond(), r.p()[0], r.p()[1], r.p()[2], cpu));
        if (r.firstError() != null) line("    first error: " + r.firstError());
    }

    private void overhead(String what, Target x, Target y) {
        line(String.format("  %-34s %-24s %-24s %-18s %s", what, diff(x.fixed.p()[0], y.fixed.p()[0]), diff(x.fixed.p()[1], y.fixed.p()[1]),
                String.format("x%.3g", x.flat.perSecond() / y.flat.perSecond()), diff(x.flat.p()[0], y.flat.p()[0])));
    }

    private static String diff(double x, double y) {
        return String.format("%+.3f ms (x%.3g)", x - y, x / y);
    }

    /** CPU used so far by each watched process, in ms. */
    private Map<String, Long> cpu() {
        Map<String, Long> m = new LinkedHashMap<>();
        watched.forEach((name, pid) -> m.put(name, ProcTable.cpuMillis(pid)));
        return m;
    }

    private String cpuSince(Map<String, Long> before, double seconds) {
        StringBuilder s = new StringBuilder();
        before.forEach((name, ms) -> s.append(s.isEmpty() ? "" : ", ").append(name).append(' ')
                .append(Math.round((ProcTable.cpuMillis(watched.get(name)) - ms) / (seconds * 10))));
        return s.toString();
    }

    /** A POST of {@code body} that must answer 200; with a bearer token (a user's, or a model server's key) when one is given. */
    static Caller post(HttpClient client, String url, String token, byte[] body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (token != null) b.header("Authorization", "Bearer " + token);
        HttpRequest request = b.build();
        return () -> {
            HttpResponse<byte[]> r = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200) {
                throw new IllegalStateException(request.uri().getPath() + ": " + r.statusCode() + " " + new String(r.body(), StandardCharsets.UTF_8));
            }
            return r.body();
        };
    }

    /** An HTTP server in this JVM that reads the request and answers {@code answer}: the round trip without a model or another process. */
    static HttpServer floorServer(byte[] answer) throws Exception {
        // Read once, when the first server is made: without it, Nagle holds the body back behind the headers.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        s.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        s.createContext("/predict", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        s.start();
        return s;
    }

    /** {@code lattice up} processes already running (another engineer's platform, a test's): they share the cores. */
    static int otherPlatforms() {
        int n = 0;
        for (long pid : ProcTable.pids()) {
            List<String> c = ProcTable.cmdline(pid);
            if (c != null && c.contains("dev.lattice.cli.Lattice") && c.contains("up")) n++;
        }
        return n;
    }

    synchronized void line(String s) {
        lines.add(s);
    }

    /** Prints the figures once: at the end, or from the shutdown hook when a signal ends the run. */
    synchronized void print() {
        if (!printed.compareAndSet(false, true)) return;
        System.out.println();
        lines.forEach(System.out::println);
    }
}
