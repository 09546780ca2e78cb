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
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Issue 16's Python contracts, black-box on {@code lattice up} (process runtime): a data scientist
 * uploads {@code contract.py} with computed features (a log, a ratio, a lookup table) and numpy in
 * its postprocessing; its answers match the same math done here. A contract that raises on its
 * config's example, or does not parse, is refused with its exception's last line and nothing is
 * stored. A hostile contract (reads the platform's files, opens a socket, forks, loops for ever,
 * allocates 2 GiB) gets nothing out, while its replica goes on answering other requests and no
 * platform service restarts.
 */
@ResourceLock(ITResources.CPU_MEASURED)
class ContractsIT {
    @TempDir
    Path tmp;

    private RunningPlatform p;

    static final Map<String, Double> PUMPS = Map.of("p1", 0.5, "p2", 1.5, "p3", -2.0);

    /** x (3 features) · W (3×2) + b: two scores. */
    private static final float[] W = {0.8f, -0.3f, 0.25f, 0.9f, -1.1f, 0.4f};
    private static final float[] B = {0.1f, -0.2f};

    static byte[] model() {
        return OnnxWriter.graph("pumps").input("x", OnnxWriter.ElementType.FLOAT, OnnxWriter.BATCH, 3)
                .initializer("W", W, 3, 2).initializer("B", B, 2)
                .node("MatMul", OnnxWriter.in("x", "W"), OnnxWriter.out("h"))
                .node("Add", OnnxWriter.in("h", "B"), OnnxWriter.out("y"))
                .output("y", OnnxWriter.ElementType.FLOAT, OnnxWriter.BATCH, 2).toBytes();
    }

    static final String CONTRACT = """
            import math
            import numpy as np

            PUMPS = {"p1": 0.5, "p2": 1.5, "p3": -2.0}

            def preprocess(request):
                pump = request.get("pump")
                if pump not in PUMPS:
                    raise ValueError("unknown pump '%s'" % pump)
                return {"x": [[math.log(request["flow"]), request["flow"] / request["pressure"], PUMPS[pump]]]}

            def postprocess(outputs, request):
                y = outputs["y"][0]
                return {"pump": request["pump"], "score": float(np.tanh(y[0] - y[1])), "alarm": bool(y[0] > y[1])}
            """;

    /** The same math as the contract and the model, here. */
    static double score(double flow, double pressure, String pump) {
        double[] x = {Math.log(flow), flow / pressure, PUMPS.get(pump)};
        double[] y = new double[2];
        for (int j = 0; j < 2; j++) {
            y[j] = B[j];
            for (int i = 0; i < 3; i++) y[j] += x[i] * W[i * 2 + j];
        }
        return Math.tanh(y[0] - y[1]);
    }

    static String config(String name, String example, String extra) {
        return "name: " + name + "\nversion: \"1\"\nreplicas: 1\nresources: {cpu: 0.5, memoryMb: 192}\n"
                + (example == null ? "" : "example: " + example + "\n") + extra;
    }

    /** Reads what it is asked to, tries what it is asked to; on anything else it behaves (so its example passes). */
    static final String HOSTILE = """
            import os, socket, time

            def preprocess(request):
                attack = request.get("attack")
                if attack == "read":
                    with open(request["path"]) as f:
                        raise ValueError(f.read().replace("\\n", " "))
                if attack == "environ":
                    with open("/proc/%d/environ" % os.getppid(), "rb") as f:
                        raise ValueError(f.read().decode(errors="replace").replace("\\0", " "))
                if attack == "socket":
                    s = socket.create_connection(("127.0.0.1", request["port"]), timeout=1)
                    s.sendall(b"GET / HTTP/1.0\\r\\n\\r\\n")
                    raise ValueError(s.recv(100).decode())
                if attack == "fork":
                    if os.fork() == 0:
                        time.sleep(600)
                    return {"x": [[0.0, 0.0, 0.0]]}
                if attack == "spawn":
                    import subprocess
                    raise ValueError(subprocess.run(["id"], capture_output=True).stdout.decode())
                if attack == "kill":
                    os.kill(os.getppid(), 9)
                if attack == "loop":
                    while True:
                        pass
                if attack == "memory":
                    hog = bytearray(2 << 30)
                    hog[-1] = 1
                if attack == "write":
                    with open(request["path"], "w") as f:
                        f.write("owned")
                return {"x": [[1.0, 2.0, 3.0]]}

            def postprocess(outputs, request):
                return {"ok": True}
            """;

    private RunningPlatform.Response upload(String token, String name, String contract, String contractFile, String config) {
        Map<String, byte[]> parts = new LinkedHashMap<>();
        parts.put("model", model());
        parts.put("contract", contract.getBytes(StandardCharsets.UTF_8));
        parts.put("config", config.getBytes(StandardCharsets.UTF_8));
        return p.sendParts("/api/v1/models", token, parts, Map.of("contract", contractFile));
    }

    private static JsonNode json(RunningPlatform.Response r) {
        return Json.read(r.body().getBytes(StandardCharsets.UTF_8), JsonNode.class);
    }

    private static void assertProblem(RunningPlatform.Response r, int status, String detailContains) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(json(r).get("detail").asText()).as(r.body()).contains(detailContains);
    }

    private void deployAndWait(String token, String name) throws Exception {
        var r = p.send("POST", "/api/v1/models/" + name + "/deploy", token, null);
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        waitFor(name + " READY", Duration.ofSeconds(120), () -> {
            JsonNode d = json(p.send("GET", "/api/v1/models/" + name, token, null)).get("deployed");
            return d != null && !d.isNull() && d.get("status").asText().equals("READY");
        }, p);
    }

    @Test
    void pythonContractsComputeFeaturesAndHostileOnesGetNothingOut() throws Exception {
        p = RunningPlatform.start(tmp.resolve("data"), RunningPlatform.freePort(), "--nodes", "1",
                "--mqtt-port", Integer.toString(RunningPlatform.freePort()));
        try {
            waitFor("health UP", Duration.ofSeconds(120), p::isUp, p);
            waitFor("the first-start banner", Duration.ofSeconds(30), () -> p.log().contains("First start"), p);
            String admin = PlatformIT.token(p, "admin", Files.readString(p.data.resolve("admin-password")).trim());
            var u = p.send("POST", "/api/v1/users", admin, "{\"username\":\"ds\",\"password\":\"pass-ds-1\",\"role\":\"data-scientist\"}");
            assertThat(u.status()).as(u.body()).isEqualTo(201);
            String ds = PlatformIT.token(p, "ds", "pass-ds-1");

            // Refused at upload, with the exception's last line, and nothing stored.
            assertProblem(upload(ds, "pumps", CONTRACT, "contract.py", config("pumps", "{pump: zz, flow: 2, pressure: 1}", "")),
                    400, "ValueError: unknown pump 'zz'");
            assertProblem(upload(ds, "pumps", "def preprocess(request)\n    return {}\n", "contract.py", config("pumps", null, "")),
                    400, "SyntaxError");
            assertProblem(upload(ds, "pumps", "import no_such_module\n", "contract.py", config("pumps", null, "")),
                    400, "ModuleNotFoundError: No module named 'no_such_module'");
            assertProblem(upload(ds, "pumps", "def preprocess(request):\n    return {}\n", "contract.py", config("pumps", null, "")),
                    400, "postprocess");
            assertThat(p.send("GET", "/api/v1/models/pumps", ds, null).status()).isEqualTo(404);

            // A good one: twenty different requests, each answered as the same math computed here.
            var created = upload(ds, "pumps", CONTRACT, "contract.py",
                    config("pumps", "{pump: p1, flow: 2.0, pressure: 4.0}", "contract: {timeoutMs: 1000, memoryMb: 128}\n"));
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            deployAndWait(ds, "pumps");
            Random random = new Random(16);
            List<String> pumps = List.of("p1", "p2", "p3");
            for (int i = 0; i < 20; i++) {
                double flow = 0.5 + 10 * random.nextDouble();
                double pressure = 0.5 + 5 * random.nextDouble();
                String pump = pumps.get(i % 3);
                var r = p.send("POST", "/api/v1/models/pumps/predict", ds,
                        "{\"pump\":\"" + pump + "\",\"flow\":" + flow + ",\"pressure\":" + pressure + "}");
                assertThat(r.status()).as(r.body()).isEqualTo(200);
                JsonNode answer = json(r);
                double expected = score(flow, pressure, pump);
                assertThat(answer.get("score").asDouble()).as(r.body()).isCloseTo(expected, within(1e-4));
                assertThat(answer.get("alarm").asBoolean()).as(r.body()).isEqualTo(expected > 0);
                assertThat(answer.get("pump").asText()).isEqualTo(pump);
            }
            // An array is a batch: one answer per item, in order.
            var batch = p.send("POST", "/api/v1/models/pumps/predict", ds,
                    "[{\"pump\":\"p1\",\"flow\":1.5,\"pressure\":2},{\"pump\":\"p3\",\"flow\":7,\"pressure\":0.7}]");
            assertThat(batch.status()).as(batch.body()).isEqualTo(200);
            assertThat(json(batch).get(0).get("score").asDouble()).isCloseTo(score(1.5, 2, "p1"), within(1e-4));
            assertThat(json(batch).get(1).get("score").asDouble()).isCloseTo(score(7, 0.7, "p3"), within(1e-4));
            // The contract refusing a request is the caller's 400, with its reason.
            assertProblem(p.send("POST", "/api/v1/models/pumps/predict", ds, "{\"pump\":\"p9\",\"flow\":1,\"pressure\":1}"),
                    400, "ValueError: unknown pump 'p9'");

            hostile(admin, ds);
            canary(ds);
            streamBound(admin, ds);
        } finally {
            p.close();
        }
    }

    private String versionOf(RunningPlatform.Response r) {
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.header("Lattice-Model-Version");
    }

    private RunningPlatform.Response pump(String ds) {
        return p.send("POST", "/api/v1/models/pumps/predict", ds, "{\"pump\":\"p2\",\"flow\":3,\"pressure\":2}");
    }

    private void deployWithCanary(String ds, String body) throws Exception {
        var r = p.send("POST", "/api/v1/models/pumps/deploy", ds, body);
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        waitFor("the canary's replica ready", Duration.ofSeconds(120), () -> {
            JsonNode d = json(p.send("GET", "/api/v1/models/pumps", ds, null)).path("deployed");
            return d.path("status").asText().equals("READY") && d.path("canary").path("ready").asInt() >= 1;
        }, p);
    }

    /** Only {@code version} answers, twenty times in a row (a rolling replace or a rollback has finished). */
    private void onlyAnswers(String ds, String version) throws Exception {
        waitFor("only version " + version + " answering", Duration.ofSeconds(120), () -> {
            for (int i = 0; i < 20; i++) if (!version.equals(versionOf(pump(ds)))) return false;
            return true;
        }, p);
    }

    /** Canary at weight 20: its share of 500 calls, the traffic counts, then promote, rollback and an automatic rollback. */
    private void canary(String ds) throws Exception {
        String good = config("pumps", "{pump: p1, flow: 2.0, pressure: 4.0}", "").replace("version: \"1\"", "version: \"2\"");
        assertThat(upload(ds, "pumps", CONTRACT, "contract.py", good).status()).isEqualTo(201);
        // Version 3 fails every call in postprocess (its example is never run: the config names none).
        String failing = CONTRACT.replace("    y = outputs[\"y\"][0]", "    raise RuntimeError(\"broken release\")");
        var v3 = upload(ds, "pumps", failing, "contract.py", config("pumps", null, "").replace("version: \"1\"", "version: \"3\""));
        assertThat(v3.status()).as(v3.body()).isEqualTo(201);

        deployWithCanary(ds, "{\"version\":\"1\",\"canary\":{\"version\":\"2\",\"weight\":20}}");
        int canary = 0;
        for (int i = 0; i < 500; i++) if ("2".equals(versionOf(pump(ds)))) canary++;
        assertThat(canary).as("calls answered by the canary of weight 20, of 500").isBetween(70, 130);
        JsonNode model = json(p.send("GET", "/api/v1/models/pumps", ds, null));
        JsonNode traffic = model.get("traffic");
        assertThat(traffic.get(0).get("version").asText()).isEqualTo("1");
        assertThat(traffic.get(0).get("weight").asInt()).isEqualTo(80);
        assertThat(traffic.get(0).get("requests").asInt()).isEqualTo(500 - canary);
        assertThat(traffic.get(1).get("version").asText()).isEqualTo("2");
        assertThat(traffic.get(1).get("requests").asInt()).isEqualTo(canary);
        assertThat(traffic.get(1).get("errors").asInt()).isZero();
        assertThat(traffic.get(1).get("p99Ms").asDouble()).isPositive();

        assertThat(p.send("POST", "/api/v1/models/pumps/promote", ds, null).status()).isEqualTo(202);
        onlyAnswers(ds, "2");
        JsonNode promoted = json(p.send("GET", "/api/v1/models/pumps", ds, null)).get("deployed");
        assertThat(promoted.get("version").asText()).isEqualTo("2");
        assertThat(promoted.has("canary")).isFalse();
        assertThat(p.send("POST", "/api/v1/models/pumps/rollback", ds, null).status()).as("no canary left").isEqualTo(409);

        deployWithCanary(ds, "{\"version\":\"2\",\"canary\":{\"version\":\"1\",\"weight\":50}}");
        assertThat(p.send("POST", "/api/v1/models/pumps/rollback", ds, null).status()).isEqualTo(202);
        onlyAnswers(ds, "2");

        // A canary failing more than its threshold is rolled back by the gateway on its own.
        deployWithCanary(ds, "{\"version\":\"2\",\"canary\":{\"version\":\"3\",\"weight\":50,\"maxErrorRate\":0.2,\"minRequests\":10}}");
        int calls = 0;
        int failed = 0;
        while (json(p.send("GET", "/api/v1/models/pumps", ds, null)).get("deployed").has("canary")) {
            var r = pump(ds);
            calls++;
            if (r.status() == 500) failed++;
            assertThat(calls).as("calls before the failing canary was rolled back").isLessThan(200);
        }
        System.out.printf("[contracts] failing canary rolled back after %d calls, %d of them failed%n", calls, failed);
        assertThat(failed).isGreaterThanOrEqualTo(10);
        onlyAnswers(ds, "2");
    }

    /** Bound to a sensor, the model predicts each of its new readings; the predictions are listed like readings. */
    private void streamBound(String admin, String ds) throws Exception {
        var type = p.send("POST", "/api/v1/sensor-types", admin, "{\"name\":\"pump-meter\",\"fields\":[{\"name\":\"pump\",\"type\":\"string\"},"
                + "{\"name\":\"flow\",\"type\":\"number\"},{\"name\":\"pressure\",\"type\":\"number\"}]}");
        assertThat(type.status()).as(type.body()).isEqualTo(201);
        var sensor = p.send("POST", "/api/v1/sensor-instances", admin, "{\"type\":\"pump-meter\",\"name\":\"meter-7\",\"location\":{\"label\":\"hall\"}}");
        assertThat(sensor.status()).as(sensor.body()).isEqualTo(201);
        String device = json(sensor).get("token").asText();
        assertProblem(p.send("POST", "/api/v1/models/pumps/bindings", ds, "{\"sensors\":[\"meter-7\",\"no-such-meter\"]}"), 400, "no-such-meter");
        var bound = p.send("POST", "/api/v1/models/pumps/bindings", ds, "{\"sensors\":[\"meter-7\"]}");
        assertThat(bound.status()).as(bound.body()).isEqualTo(200);
        // The predictor's group joins its readings' partitions within a few seconds: readings sent before that are not predicted.
        waitFor("a first prediction", Duration.ofSeconds(60), () -> {
            assertThat(p.send("POST", "/api/v1/sensor-instances/meter-7/readings", device, "{\"pump\":\"p1\",\"flow\":1.0,\"pressure\":1.0}").status())
                    .isEqualTo(202);
            java.util.concurrent.locks.LockSupport.parkNanos(500_000_000L);
            return json(p.send("GET", "/api/v1/sensor-instances/meter-7/predictions", ds, null)).size() > 0;
        }, p);
        int before = json(p.send("GET", "/api/v1/sensor-instances/meter-7/predictions?limit=1000", ds, null)).size();
        Random random = new Random(7);
        Map<Double, Double> expected = new java.util.HashMap<>();
        for (int i = 0; i < 10; i++) {
            double flow = 1.5 + i + random.nextDouble();
            double pressure = 0.5 + random.nextDouble();
            expected.put(flow, score(flow, pressure, "p3"));
            var r = p.send("POST", "/api/v1/sensor-instances/meter-7/readings", device,
                    "{\"pump\":\"p3\",\"flow\":" + flow + ",\"pressure\":" + pressure + "}");
            assertThat(r.status()).as(r.body()).isEqualTo(202);
        }
        waitFor("ten more predictions", Duration.ofSeconds(30),
                () -> json(p.send("GET", "/api/v1/sensor-instances/meter-7/predictions?limit=1000", ds, null)).size() >= before + 10, p);
        int matched = 0;
        for (JsonNode prediction : json(p.send("GET", "/api/v1/sensor-instances/meter-7/predictions?limit=1000", ds, null))) {
            assertThat(prediction.get("model").asText()).isEqualTo("pumps");
            Double want = expected.get(prediction.get("reading").get("flow").asDouble());
            if (want == null) continue;
            assertThat(prediction.get("output").get("score").asDouble()).as(prediction.toString()).isCloseTo(want, within(1e-4));
            assertThat(prediction.get("version").asText()).isEqualTo("2");
            matched++;
        }
        assertThat(matched).as("predictions of the ten readings").isEqualTo(10);
    }

    private void hostile(String admin, String ds) throws Exception {
        var created = upload(ds, "hostile", HOSTILE, "contract.py", config("hostile", "{}", "contract: {timeoutMs: 1500, memoryMb: 128}\n"));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        deployAndWait(ds, "hostile");
        String secret = Files.readString(p.data.resolve("admin-password")).trim();
        Path planted = p.data.resolve("owned-by-contract");
        for (String attack : List.of(
                "{\"attack\":\"read\",\"path\":\"" + p.data.resolve("admin-password") + "\"}",
                "{\"attack\":\"read\",\"path\":\"/etc/shadow\"}",
                "{\"attack\":\"read\",\"path\":\"/etc/passwd\"}",
                "{\"attack\":\"environ\"}",
                "{\"attack\":\"socket\",\"port\":" + p.port + "}",
                "{\"attack\":\"fork\"}",
                "{\"attack\":\"spawn\"}",
                "{\"attack\":\"kill\"}",
                "{\"attack\":\"write\",\"path\":\"" + planted + "\"}",
                "{\"attack\":\"memory\"}")) {
            var r = p.send("POST", "/api/v1/models/hostile/predict", ds, attack);
            assertThat(r.status()).as(attack + " → " + r.body()).isIn(400, 500);
            assertThat(r.body()).as(attack).doesNotContain(secret).doesNotContain("root:").doesNotContain("LATTICE_SERVE_KEY")
                    .doesNotContain("HTTP/1.").doesNotContain("uid=");
            // The replica answers the next request as ever.
            var ok = p.send("POST", "/api/v1/models/hostile/predict", ds, "{}");
            assertThat(ok.status()).as("after " + attack + ": " + ok.body()).isEqualTo(200);
        }
        assertThat(planted).doesNotExist();

        // Looping for ever: that call is ended (504) while the replica's other worker answers others at once.
        CompletableFuture<RunningPlatform.Response> looping = CompletableFuture.supplyAsync(
                () -> p.send("POST", "/api/v1/models/hostile/predict", ds, "{\"attack\":\"loop\"}"));
        Thread.sleep(300);
        long t0 = System.nanoTime();
        var meanwhile = p.send("POST", "/api/v1/models/hostile/predict", ds, "{}");
        assertThat(meanwhile.status()).as(meanwhile.body()).isEqualTo(200);
        assertThat((System.nanoTime() - t0) / 1_000_000).as("ms for a request beside a looping one").isLessThan(1000);
        RunningPlatform.Response looped = looping.get();
        assertProblem(looped, 504, "took more than 1500 ms");
        waitFor("a fresh worker in place of the looping one", Duration.ofSeconds(20), () -> {
            var a = p.send("POST", "/api/v1/models/hostile/predict", ds, "{}");
            var b = p.send("POST", "/api/v1/models/hostile/predict", ds, "{}");
            return a.status() == 200 && b.status() == 200;
        }, p);

        // The platform did not notice: UP, no service restarted, the replica never restarted either.
        assertThat(p.isUp()).isTrue();
        for (JsonNode w : json(p.send("GET", "/api/v1/workloads", admin, null))) {
            if (w.get("kind").asText().equals("service") || w.get("id").asText().contains("hostile"))
                assertThat(w.get("restarts").asInt()).as(w.toString()).isZero();
        }
    }
}
