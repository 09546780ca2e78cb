package dev.lattice.cli;

import static dev.lattice.cli.RunningPlatform.waitFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lattice.core.Json;
import dev.lattice.models.examples.OnnxWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 5's acceptance, black-box, on {@code lattice up --nodes 2} with one runtime: a model made here with random
 * weights (so no part of the platform has seen it) is uploaded with its contract and config, bad
 * uploads are refused precisely with nothing stored, two replicas serve it on two nodes (and refuse
 * whoever reaches their ports, or the repository's, without the platform's key), predict
 * and V2 infer answer what the weights say, a killed replica is not noticed by callers, and
 * version 2 replaces version 1 under a steady stream of calls without one failing.
 */
abstract class ModelScenarios {
    abstract String runtime();

    private static final List<String> FIELDS = List.of("alpha", "beta", "gamma", "delta", "eps");
    private static final List<String> LABELS = List.of("red", "green", "blue");

    @TempDir
    Path tmp;

    private RunningPlatform p;

    /** A linear 5 → 3 model with random weights: logits = x·W + b. */
    record Model(float[] w, float[] b, byte[] onnx) {
        static Model random(long seed) {
            Random r = new Random(seed);
            float[] w = new float[15];
            float[] b = new float[3];
            for (int i = 0; i < w.length; i++) w[i] = (float) r.nextGaussian();
            for (int i = 0; i < b.length; i++) b[i] = (float) r.nextGaussian();
            byte[] onnx = OnnxWriter.graph("fresh").input("x", OnnxWriter.ElementType.FLOAT, OnnxWriter.BATCH, 5)
                    .initializer("W", w, 5, 3).initializer("B", b, 3)
                    .node("MatMul", OnnxWriter.in("x", "W"), OnnxWriter.out("h"))
                    .node("Add", OnnxWriter.in("h", "B"), OnnxWriter.out("logits"))
                    .output("logits", OnnxWriter.ElementType.FLOAT, OnnxWriter.BATCH, 3).toBytes();
            return new Model(w, b, onnx);
        }

        /** What the contract below makes of a request: the encoded, imputed, scaled row. */
        static double[] row(double alpha, String beta, Double gamma, double delta, double eps) {
            return new double[] {alpha, beta.equals("hi") ? 1 : 0, gamma == null ? 2.5 : gamma, (delta - 10) / 4, eps};
        }

        double[] logits(double[] row) {
            double[] out = new double[3];
            for (int j = 0; j < 3; j++) {
                out[j] = b[j];
                for (int i = 0; i < 5; i++) out[j] += row[i] * w[i * 3 + j];
            }
            return out;
        }

        double[] probabilities(double[] row) {
            double[] l = logits(row);
            double max = Math.max(l[0], Math.max(l[1], l[2]));
            double sum = 0;
            double[] e = new double[3];
            for (int j = 0; j < 3; j++) sum += e[j] = Math.exp(l[j] - max);
            for (int j = 0; j < 3; j++) e[j] /= sum;
            return e;
        }
    }

    static final String CONTRACT = """
            preprocess:
              input: x
              fields: [alpha, beta, gamma, delta, eps]
              encode:
                beta: {lo: 0, hi: 1}
              impute:
                gamma: 2.5
              scale:
                delta: {mean: 10, std: 4}
            postprocess:
              output: logits
              softmax: true
              labels: [red, green, blue]
              probabilities: true
            """;

    /** Half a core each: the docker runtime enforces it, and a JVM with ONNX Runtime on 0.1 of a core takes ~36 s to be ready. */
    private static String config(String version) {
        return "name: fresh\nversion: \"" + version + "\"\nformat: onnx\nreplicas: 2\nresources: {cpu: 0.5, memoryMb: 192}\n";
    }

    private RunningPlatform.Response upload(String token, byte[] model, String contract, String config) {
        Map<String, byte[]> parts = new LinkedHashMap<>();
        parts.put("model", model);
        parts.put("contract", contract.getBytes(StandardCharsets.UTF_8));
        parts.put("config", config.getBytes(StandardCharsets.UTF_8));
        return p.sendParts("/api/v1/models", token, parts);
    }

    private JsonNode json(RunningPlatform.Response r) {
        return Json.read(r.body().getBytes(StandardCharsets.UTF_8), JsonNode.class);
    }

    private void assertProblem(RunningPlatform.Response r, int status, String detailContains) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(json(r).get("detail").asText()).as(r.body()).contains(detailContains);
    }

    private JsonNode model(String token) {
        var r = p.send("GET", "/api/v1/models/fresh", token, null);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return json(r);
    }

    private boolean deployedReady(String token, String version) {
        JsonNode d = model(token).get("deployed");
        if (d == null || d.isNull() || !d.get("status").asText().equals("READY") || !d.get("version").asText().equals(version)) return false;
        for (JsonNode r : d.get("replicas")) if (!r.get("version").asText().equals(version)) return false;
        return true;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    static String request(double alpha, String beta, Double gamma, double delta, double eps) {
        return "{\"alpha\":" + alpha + ",\"beta\":\"" + beta + "\"" + (gamma == null ? "" : ",\"gamma\":" + gamma)
                + ",\"delta\":" + delta + ",\"eps\":" + eps + "}";
    }

    private void assertAnswer(JsonNode answer, Model m, double[] row) {
        double[] probs = m.probabilities(row);
        int best = probs[0] >= probs[1] && probs[0] >= probs[2] ? 0 : probs[1] >= probs[2] ? 1 : 2;
        assertThat(answer.get("label").asText()).as(answer.toString()).isEqualTo(LABELS.get(best));
        for (int j = 0; j < 3; j++) {
            assertThat(answer.get("probabilities").get(LABELS.get(j)).asDouble()).as(answer.toString()).isCloseTo(probs[j], within(1e-4));
        }
    }

    /**
     * The model-server processes of {@code fresh} of this platform, found as an operator would: by
     * their command line, and by their HOME (a workload's own folder, under this platform's data).
     */
    private List<ProcessHandle> replicas() {
        return freshServers().stream().filter(h -> home(h).startsWith(p.data.toString())).toList();
    }

    private static String home(ProcessHandle h) {
        return environ(h.pid()).getOrDefault("HOME", "");
    }

    /** A process's environment as /proc shows it to its user (empty once it is gone). */
    static Map<String, String> environ(long pid) {
        Map<String, String> env = new LinkedHashMap<>();
        try {
            for (String kv : Files.readString(Path.of("/proc", Long.toString(pid), "environ")).split("\0")) {
                int eq = kv.indexOf('=');
                if (eq > 0) env.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
        } catch (java.io.IOException e) {
            // gone
        }
        return env;
    }

    /**
     * Someone on the host's network who skips the gateway: straight to a replica's port and to the
     * repository's, with no key, a wrong one, or a user's token, gets 401; the replica's own key
     * (what the gateway sends) gets an answer; {@code /metrics} stays open. No API answer shows the key.
     */
    private void strangersAreRefused(String admin, String eu) throws Exception {
        Map<String, String> env = environ(replicas().get(0).pid());
        String port = env.get("LATTICE_PORT");
        String key = env.get("LATTICE_SERVE_KEY");
        assertThat(key).as("the replica's serve key").hasSizeGreaterThanOrEqualTo(43);
        assertThat(env.keySet()).as("a replica's environment holds no Kafka credential").noneMatch(n -> n.startsWith("LATTICE_KAFKA"));
        String predict = "http://127.0.0.1:" + port + "/predict";
        String body = request(1, "hi", 0.5, 12, -1);
        for (String wrong : new String[] {null, "Bearer " + key.substring(1), "Bearer " + key + "x", "Bearer " + eu, key}) {
            assertThat(direct("POST", predict, wrong, body)).as("predict with Authorization %s", wrong).isEqualTo(401);
            assertThat(direct("GET", "http://127.0.0.1:" + port + "/v2/health/ready", wrong, null)).isEqualTo(401);
        }
        assertThat(direct("POST", predict, "Bearer " + key, body)).isEqualTo(200);
        assertThat(direct("GET", "http://127.0.0.1:" + port + "/metrics", null, null)).isEqualTo(200);
        for (String path : List.of("/api/v1/models/fresh", "/api/v1/deployments", "/api/v1/deployments/model-fresh", "/api/v1/workloads")) {
            assertThat(p.send("GET", path, admin, null).body()).as(path).doesNotContain(key);
        }
        assertThat(json(p.send("GET", "/api/v1/deployments/model-fresh", admin, null)).get("env").get("LATTICE_SERVE_KEY").asText())
                .isEqualTo("***");

        // Where the repository serves, as its log says (it binds a port the kernel picks).
        String served = Files.readAllLines(p.data.resolve("logs/repository.log")).stream()
                .filter(l -> l.contains("repository serving ")).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no 'repository serving' line in its log"));
        String base = served.substring(served.indexOf("repository serving ") + "repository serving ".length()).split(" ")[0];
        String artefact = base + "/artefacts/"
                + json(p.send("GET", "/api/v1/models/fresh", admin, null)).get("versionDetails").get(0).get("modelSha256").asText();
        assertThat(direct("GET", artefact, null, null)).as("the repository without its key").isEqualTo(401);
        assertThat(direct("GET", artefact, "Bearer " + admin, null)).as("the repository with an admin's token").isEqualTo(401);
    }

    /** The status of a request that bypasses the gateway; {@code authorization} is the header's whole value, or null. */
    private static int direct(String method, String url, String authorization, String body) throws Exception {
        var b = java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? java.net.http.HttpRequest.BodyPublishers.noBody()
                        : java.net.http.HttpRequest.BodyPublishers.ofString(body));
        if (body != null) b.header("Content-Type", "application/json");
        if (authorization != null) b.header("Authorization", authorization);
        return java.net.http.HttpClient.newHttpClient().send(b.build(), java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static List<ProcessHandle> freshServers() {
        // The JVMs only: a container's init (docker --init) carries the same command line.
        return ProcessHandle.allProcesses().filter(h -> h.info().commandLine().map(c -> c.contains("--model fresh ")).orElse(false))
                .filter(h -> h.info().command().map(c -> c.endsWith("/java")).orElse(false)).toList();
    }

    @Test
    void uploadsDeploysServesHealsAndRollsOut() throws Exception {
        p = RunningPlatform.start(tmp.resolve("data"), RunningPlatform.freePort(), "--nodes", "2", "--runtime", runtime(),
                "--mqtt-port", Integer.toString(RunningPlatform.freePort()));
        try {
            waitFor("health UP", Duration.ofSeconds(120), p::isUp, p);
            waitFor("the first-start banner", Duration.ofSeconds(30), () -> p.log().contains("First start"), p);
            String admin = PlatformIT.token(p, "admin", Files.readString(p.data.resolve("admin-password")).trim());
            for (String[] u : List.of(new String[] {"ds", "data-scientist"}, new String[] {"eu", "end-user"})) {
                var r = p.send("POST", "/api/v1/users", admin, "{\"username\":\"" + u[0] + "\",\"password\":\"pass-" + u[0] + "-1\",\"role\":\"" + u[1] + "\"}");
                assertThat(r.status()).as(r.body()).isEqualTo(201);
            }
            String ds = PlatformIT.token(p, "ds", "pass-ds-1");
            String eu = PlatformIT.token(p, "eu", "pass-eu-1");
            Model v1 = Model.random(7);

            // Bad uploads: a precise 400 (or 403/409), and nothing stored.
            byte[] corrupt = "this is not an ONNX model".getBytes(StandardCharsets.UTF_8);
            assertProblem(upload(ds, corrupt, CONTRACT, config("1")), 400, "model");
            assertProblem(upload(ds, v1.onnx(), CONTRACT.replace("input: x", "input: nope"), config("1")), 400, "nope");
            assertProblem(upload(ds, v1.onnx(), CONTRACT.replace("fields: [alpha, beta, gamma, delta, eps]", "fields: [alpha, beta, gamma, delta]")
                    .replace("\n    delta: {mean: 10, std: 4}", "").replace("  scale:\n", ""), config("1")), 400, "fields");
            assertProblem(upload(ds, v1.onnx(), CONTRACT.replace("labels: [red, green, blue]", "labels: [red, green]"), config("1")), 400, "labels");
            assertProblem(upload(ds, v1.onnx(), CONTRACT, "version: \"1\"\nformat: onnx\n"), 400, "name");
            assertThat(upload(eu, v1.onnx(), CONTRACT, config("1")).status()).isEqualTo(403);
            assertThat(json(p.send("GET", "/api/v1/models", ds, null))).isEmpty();
            assertThat(p.send("GET", "/api/v1/artefacts/" + sha256(corrupt), admin, null).status()).isEqualTo(404);
            assertThat(p.send("GET", "/api/v1/artefacts/" + sha256(v1.onnx()), admin, null).status()).isEqualTo(404);

            // A good upload; the same version again is a conflict.
            var created = upload(ds, v1.onnx(), CONTRACT, config("1"));
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            assertThat(json(created).get("version").asText()).isEqualTo("1");
            assertProblem(upload(ds, v1.onnx(), CONTRACT, config("1")), 409, "version");
            assertThat(p.send("POST", "/api/v1/models/fresh/predict", eu, request(1, "hi", 0.5, 12, -1)).status()).isEqualTo(503);

            // Two replicas on two nodes, READY; predict and V2 answer what the weights say.
            var deploy = p.send("POST", "/api/v1/models/fresh/deploy", ds, "{\"replicas\":2}");
            assertThat(deploy.status()).as(deploy.body()).isEqualTo(202);
            long ready = waitFor("fresh READY", Duration.ofSeconds(90), () -> deployedReady(ds, "1"), p);
            System.out.printf("[%s] model fresh READY %d ms after deploy%n", runtime(), ready);
            JsonNode deployed = model(eu).get("deployed");
            assertThat(List.of(deployed.get("replicas").get(0).get("node").asText(), deployed.get("replicas").get(1).get("node").asText()))
                    .containsExactlyInAnyOrder("n1", "n2");
            assertThat(replicas()).hasSize(2);

            var one = p.send("POST", "/api/v1/models/fresh/predict", eu, request(1, "hi", 0.5, 12, -1));
            assertThat(one.status()).as(one.body()).isEqualTo(200);
            assertAnswer(json(one), v1, Model.row(1, "hi", 0.5, 12, -1));
            var many = p.send("POST", "/api/v1/models/fresh/predict", eu, "[" + request(-2, "lo", null, 3, 0.25) + "," + request(0.5, "hi", 4.0, 20, 2) + "]");
            assertThat(many.status()).as(many.body()).isEqualTo(200);
            assertAnswer(json(many).get(0), v1, Model.row(-2, "lo", null, 3, 0.25));
            assertAnswer(json(many).get(1), v1, Model.row(0.5, "hi", 4.0, 20, 2));
            assertProblem(p.send("POST", "/api/v1/models/fresh/predict", eu, "{\"alpha\":1,\"beta\":\"hi\",\"delta\":3}"), 400, "eps");
            strangersAreRefused(admin, eu);
            assertProblem(p.send("POST", "/api/v1/models/fresh/predict", eu, "{\"alpha\":1,\"beta\":\"middle\",\"delta\":3,\"eps\":1}"), 400, "beta");

            var infer = p.send("POST", "/v2/models/fresh/infer", eu,
                    "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,5],\"datatype\":\"FP32\",\"data\":[1,0,2,3,4]}]}");
            assertThat(infer.status()).as(infer.body()).isEqualTo(200);
            JsonNode out = json(infer).get("outputs").get(0);
            assertThat(out.get("name").asText()).isEqualTo("logits");
            double[] raw = v1.logits(new double[] {1, 0, 2, 3, 4});
            for (int j = 0; j < 3; j++) assertThat(out.get("data").get(j).asDouble()).isCloseTo(raw[j], within(1e-4));
            JsonNode meta = json(p.send("GET", "/v2/models/fresh", eu, null));
            assertThat(meta.get("inputs").get(0).get("name").asText()).isEqualTo("x");
            assertThat(p.send("GET", "/v2/models/fresh/ready", eu, null).status()).isEqualTo(200);

            // A killed replica: callers do not notice, and it comes back.
            try (Caller caller = new Caller(p, eu)) {
                ProcessHandle victim = replicas().get(0);
                victim.destroyForcibly();
                // A replacement replica must start its JVM, load the model and warm up before it counts: ~8 s here with
                // either runtime; the bound leaves room for a slow machine, and the time is printed.
                long back = waitFor("the killed replica back and the model READY", Duration.ofSeconds(120),
                        () -> deployedReady(ds, "1") && replicas().size() == 2 && replicas().stream().noneMatch(h -> h.pid() == victim.pid()), p);
                System.out.printf("[%s] killed replica back and READY %d ms after the kill%n", runtime(), back);
                Thread.sleep(500);
                caller.assertNoFailures("while a replica was killed and restarted");
            }
            int restarts = 0;
            for (JsonNode r : model(ds).get("deployed").get("replicas")) restarts += r.get("restarts").asInt();
            assertThat(restarts).isEqualTo(1);

            // Version 2 over version 1 under a steady stream of calls: none fails.
            Model v2 = Model.random(8);
            assertThat(upload(ds, v2.onnx(), CONTRACT, config("2")).status()).isEqualTo(201);
            try (Caller caller = new Caller(p, eu)) {
                Thread.sleep(300);
                assertThat(p.send("POST", "/api/v1/models/fresh/deploy", ds, "{\"version\":\"2\"}").status()).isEqualTo(202);
                long rolled = waitFor("version 2 READY on every replica", Duration.ofSeconds(120), () -> deployedReady(ds, "2") && replicas().size() == 2, p);
                System.out.printf("[%s] version 2 rolled out %d ms after deploy, %d calls during it%n", runtime(), rolled, caller.calls.get());
                Thread.sleep(500);
                caller.assertNoFailures("during the rolling replace");
            }
            assertAnswer(json(p.send("POST", "/api/v1/models/fresh/predict", eu, request(1, "hi", 0.5, 12, -1))), v2, Model.row(1, "hi", 0.5, 12, -1));
            assertThat(model(ds).get("versions")).hasSize(2);

            // Undeploy: STOPPED, replicas gone.
            assertThat(p.send("DELETE", "/api/v1/models/fresh/deploy", ds, null).status()).isEqualTo(202);
            waitFor("replicas gone", Duration.ofSeconds(30), () -> replicas().isEmpty(), p);
            assertThat(model(ds).get("deployed").get("status").asText()).isEqualTo("STOPPED");
            assertThat(p.send("POST", "/api/v1/models/fresh/predict", eu, request(1, "hi", 0.5, 12, -1)).status()).isEqualTo(503);
        } finally {
            // SIGTERM first, so the agents remove their containers even when the test failed half way.
            try {
                p.terminate(Duration.ofSeconds(60));
            } catch (AssertionError e) {
                System.err.println(e.getMessage());
            }
            p.close();
        }
    }

    /** Calls predict in a loop on its own thread and remembers every failure. */
    static final class Caller implements AutoCloseable {
        final AtomicInteger calls = new AtomicInteger();
        final AtomicReference<String> failure = new AtomicReference<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        Caller(RunningPlatform p, String token) {
            thread = Thread.ofPlatform().start(() -> {
                while (running.get()) {
                    var r = p.send("POST", "/api/v1/models/fresh/predict", token, request(1, "hi", 0.5, 12, -1));
                    calls.incrementAndGet();
                    if (r.status() != 200) failure.compareAndSet(null, r.status() + " " + r.body());
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }

        void assertNoFailures(String when) {
            assertThat(calls.get()).as("calls " + when).isGreaterThan(10);
            assertThat(failure.get()).as("first failed call " + when + " (of " + calls.get() + ")").isNull();
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join(5000);
        }
    }
}
