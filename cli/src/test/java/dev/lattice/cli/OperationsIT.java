package dev.lattice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lattice.core.Json;
import com.sun.net.httpserver.HttpServer;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Operating Lattice (issue 15), black-box on {@code lattice up}: the README's walk-through with the CLI
 * alone ({@code lattice NOUN VERB}), each command a process of the built distribution as a user runs
 * it (log in, a user, a model uploaded, deployed and asked, the machine guard's types, devices, app
 * and instance, its outputs and logs, events, an API key used and revoked, the audit log, the
 * documented exit statuses); then a real Prometheus that finds every process through HTTP-SD and
 * scrapes it ({@code up == 1}, {@code promtool check metrics}); the served OpenAPI document through a
 * standard validator; and a webhook that receives, correctly signed, the {@code hung} event of a
 * service stopped with SIGSTOP, which is replaced within {@code LATTICE_HUNG_AFTER} + 5 s.
 */
@ResourceLock(ITResources.MQTT_DEFAULT_PORT)
@ResourceLock(ITResources.MODEL_IRIS)
class OperationsIT {
    private static final Path ROOT = Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent();

    @TempDir
    Path tmp;
    private long commands;
    private long commandNanos;

    record Run(int exit, String out, String err) {
        JsonNode json() {
            return Json.read(out.getBytes(StandardCharsets.UTF_8), JsonNode.class);
        }
    }

    private Run lattice(Map<String, String> env, String stdin, String... args) {
        List<String> cmd = new ArrayList<>(RunningPlatform.lattice());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().keySet().removeIf(k -> k.startsWith("LATTICE_"));
        pb.environment().put("XDG_CONFIG_HOME", tmp.resolve("config").toString());
        pb.environment().putAll(env);
        try {
            Path out = Files.createTempFile(tmp, "out", ".txt");
            Path err = Files.createTempFile(tmp, "err", ".txt");
            long start = System.nanoTime();
            Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            try (var in = p.getOutputStream()) {
                if (stdin != null) in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            if (!p.waitFor(90, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("lattice " + String.join(" ", args) + ": no end after 90 s");
            }
            commands++;
            commandNanos += System.nanoTime() - start;
            return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private Run ok(String... args) {
        return ok(Map.of(), null, args);
    }

    private Run ok(Map<String, String> env, String stdin, String... args) {
        Run r = lattice(env, stdin, args);
        assertThat(r.exit()).as("lattice " + String.join(" ", args) + "\nstdout: " + r.out() + "\nstderr: " + r.err()).isZero();
        return r;
    }

    /** Runs a JSON-printing command until its answer passes {@code done}. */
    private JsonNode until(String what, Duration timeout, Predicate<JsonNode> done, String... args) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < end) {
            Run r = lattice(Map.of(), null, args);
            if (r.exit() == 0) {
                last = r.json();
                if (done.test(last)) return last;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("timed out waiting for " + what + "; last answer: " + last);
    }

    @Test
    void operatingLatticeWithTheCliPrometheusAndWebhooks() throws Exception {
        Path data = tmp.resolve("data");
        try (RunningPlatform p = RunningPlatform.start(data, RunningPlatform.freePort())) {
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (!p.isUp() || !Files.exists(data.resolve("admin-password"))) {
                if (System.nanoTime() > deadline) throw new AssertionError("not UP after 120 s\n" + p.diagnosis());
                Thread.sleep(200);
            }
            String url = "http://127.0.0.1:" + p.port;
            String password = Files.readString(data.resolve("admin-password")).trim();

            // Not logged in yet: the API refuses (1), with the problem's detail and a hint on stderr.
            Run anonymous = lattice(Map.of("LATTICE_URL", url), null, "models", "list");
            assertThat(anonymous.exit()).isEqualTo(1);
            assertThat(anonymous.err()).startsWith("lattice: 401").contains("lattice login");

            Run login = ok(Map.of(), password + "\n", "login", "--url", url, "--username", "admin", "--password-stdin");
            assertThat(login.err()).contains("as admin (admin)");
            Path config = tmp.resolve("config/lattice/config.json");
            assertThat(Files.getPosixFilePermissions(config)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            assertThat(Files.readString(config)).contains(url).doesNotContain(password);

            assertThat(ok("health", "get", "-o", "json").json().get("status").asText()).isEqualTo("UP");
            assertThat(ok(Map.of(), "pw-scientist-123\n", "users", "create", "--username", "sci", "--role", "data-scientist",
                    "--password-stdin").out()).contains("\"sci\"").doesNotContain("pw-scientist-123");

            // Data scientist: upload, deploy, predict (iris), and the anomaly model the app calls (both deployed before waiting).
            Path iris = ROOT.resolve("examples/models/iris");
            JsonNode uploaded = ok("models", "upload", "--model", iris.resolve("model.onnx").toString(),
                    "--contract", iris.resolve("contract.yaml").toString(), "--config", iris.resolve("config.yaml").toString()).json();
            assertThat(uploaded.get("name").asText()).isEqualTo("iris");
            ok("models", "deploy", "iris", "--version", "1", "--replicas", "1");
            Path anomaly = ROOT.resolve("examples/models/anomaly");
            ok("models", "upload", "--model", anomaly.resolve("model.onnx").toString(),
                    "--contract", anomaly.resolve("contract.yaml").toString(), "--config", anomaly.resolve("config.yaml").toString());
            ok("models", "deploy", "anomaly");
            until("iris READY", Duration.ofSeconds(90), m -> m.at("/deployed/status").asText().equals("READY"), "models", "get", "iris");
            JsonNode prediction = ok("models", "predict", "iris", "-d",
                    "{\"sepal_length\":7.0,\"sepal_width\":3.2,\"petal_length\":4.7,\"petal_width\":1.4}").json();
            assertThat(prediction.get("label").asText()).isEqualTo("versicolor");

            // Platform configurer: types from the example's files, a simulated machine named on the command line, an alarm from stdin (YAML).
            Path guard = ROOT.resolve("examples/apps/machine-guard");
            ok("sensor-types", "create", "-f", guard.resolve("sensor-type.json").toString());
            ok("controller-types", "create", "-f", guard.resolve("controller-type.json").toString());
            ok("sensor-instances", "create", "-f", guard.resolve("sensor-instance.json").toString(), "--name", "press-1");
            ok(Map.of(), "type: alarm\nname: siren-1\nlocation: {label: hall 1}\n", "controller-instances", "create", "-f", "-");
            assertThat(ok("sensor-instances", "list", "--type", "machine", "--location", "hall 1", "-o", "json").out()).contains("press-1");

            // App developer: the jar and its config.  End user: an instance bound to the devices.
            ok("apps", "upload", "--app", guard.resolve("target/machine-guard.jar").toString(), "--config", guard.resolve("config.yaml").toString());
            until("anomaly READY", Duration.ofSeconds(90), m -> m.at("/deployed/status").asText().equals("READY"), "models", "get", "anomaly");
            String id = ok("apps", "run", "machine-guard", "--bind", "machine=press-1", "--bind", "alarm=siren-1", "--param", "quiet=false")
                    .json().get("id").asText();
            until("the instance RUNNING", Duration.ofSeconds(90), i -> i.get("status").asText().equals("RUNNING"), "app-instances", "get", id);
            JsonNode outputs = until("an output", Duration.ofSeconds(60), o -> o.size() > 0, "app-instances", "outputs", id, "--limit", "3");
            assertThat(outputs.get(0).at("/value/label").isMissingNode()).isFalse();
            ok("app-instances", "logs", id, "--tail", "20");
            assertThat(ok("sensor-instances", "readings", "press-1", "--limit", "2").json().size()).isPositive();
            ok("controller-instances", "commands", "siren-1");
            ok("sensor-instances", "publish", "press-1", "-d", "{\"temperature\":61.5,\"vibration\":2.2,\"current\":10.4}");
            Run refused = lattice(Map.of(), null, "sensor-instances", "publish", "press-1", "-d", "{\"no-such-field\":1}");
            assertThat(refused.exit()).isEqualTo(1);
            assertThat(refused.err()).startsWith("lattice: 400");
            ok("controller-instances", "command", "siren-1", "set", "--param", "on=false");
            Path file = Files.writeString(tmp.resolve("note.txt"), "an artefact");
            String sha = ok("artefacts", "upload", file.toString()).json().get("sha256").asText();
            ok("artefacts", "get", sha, "--out", tmp.resolve("back.txt").toString());
            assertThat(Files.readString(tmp.resolve("back.txt"))).isEqualTo("an artefact");
            assertThat(ok("events", "list", "--limit", "5", "-o", "yaml").out()).contains("kind:");
            assertThat(ok("models", "list", "-o", "table").out()).contains("NAME").contains("iris").contains("anomaly");

            // An API key for a script: works as LATTICE_TOKEN, then refused once deleted.
            JsonNode key = ok("api-keys", "create", "--name", "ci", "--role", "data-scientist").json();
            Map<String, String> script = Map.of("LATTICE_TOKEN", key.get("key").asText());
            assertThat(ok(script, null, "users", "me").json().get("role").asText()).isEqualTo("data-scientist");
            // A service acts for the key on auth's assertion of it (the gateway never forwards the key): the models
            // service gets past its caller check and its role check to say what is wrong, not 401.
            Run notDeployed = lattice(script, null, "models", "undeploy", "no-such-model");
            assertThat(notDeployed.err()).as("undeploying with the key").contains("404").doesNotContain("401");
            // An upload with the key: the repository takes auth's assertion the gateway forwards for it.
            Path keyFile = Files.writeString(tmp.resolve("key-note.txt"), "uploaded with an API key");
            assertThat(ok(script, null, "artefacts", "upload", keyFile.toString()).json().get("sha256").asText()).hasSize(64);
            ok("api-keys", "delete", key.get("id").asText());
            Run revoked = lattice(script, null, "users", "me");
            assertThat(revoked.exit()).isEqualTo(1);
            assertThat(revoked.err()).contains("401");

            // Who changed what, refusals included, without a secret.
            Run badRole = lattice(Map.of(), "pw-refused-1234\n", "users", "create", "--username", "refused", "--role", "emperor", "--password-stdin");
            assertThat(badRole.exit()).isEqualTo(1);
            String audit = ok("audit", "list", "--limit", "200", "-o", "json").out();
            boolean refusalAudited = false;
            for (JsonNode e : Json.read(audit.getBytes(StandardCharsets.UTF_8), JsonNode.class)) {
                refusalAudited |= e.get("path").asText().equals("/api/v1/users") && e.get("status").asInt() == 400;
            }
            assertThat(refusalAudited).as("the refused user creation in the audit log\n" + audit).isTrue();
            assertThat(audit).doesNotContain("pw-refused-1234");
            assertThat(audit).contains("/api/v1/models", "/api/v1/apps/machine-guard/instances", "/api/v1/api-keys")
                    .doesNotContain(password).doesNotContain("pw-scientist-123").doesNotContain(key.get("key").asText());

            // The documented exit statuses.
            Run missing = lattice(Map.of(), null, "models", "get", "no-such-model");
            assertThat(missing.exit()).isEqualTo(1);
            assertThat(missing.err()).startsWith("lattice: 404");
            assertThat(lattice(Map.of(), null, "models", "frobnicate").exit()).isEqualTo(2);
            assertThat(lattice(Map.of(), null, "sensor-types", "create").exit()).isEqualTo(2);
            Run unreachable = lattice(Map.of("LATTICE_URL", "http://127.0.0.1:1"), null, "models", "list");
            assertThat(unreachable.exit()).isEqualTo(3);
            assertThat(unreachable.err()).contains("cannot reach Lattice");

            assertThat(ok("completion").out()).contains("complete", "models", "app-instances");

            theOpenApiDocumentIsValidAndServed(p, url);
            prometheusFindsAndScrapesEveryProcess(url);
            aHungServiceIsReplacedAndAWebhookToldOfIt(p);
            ok("app-instances", "delete", id);
            System.out.printf("[cli] %d commands, %.0f ms each on average (a JVM each)%n", commands, commandNanos / 1e6 / commands);
        }
    }

    /** Valid OpenAPI 3.1 as served; each documented operation is served (a protected one refuses no token with 401, never 404). */
    private void theOpenApiDocumentIsValidAndServed(RunningPlatform p, String url) {
        RunningPlatform.Response served = p.send("GET", "/api/v1/openapi.json", null, null);
        assertThat(served.status()).isEqualTo(200);
        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(served.body(), null, null);
        assertThat(parsed.getMessages()).as("validator messages").isEmpty();
        assertThat(parsed.getOpenAPI().getOpenapi()).isEqualTo("3.1.0");
        assertThat(p.send("GET", "/api/v1/no-such-route", null, null).status()).isEqualTo(404);
        List<String> notServed = new ArrayList<>();
        int operations = 0;
        JsonNode paths = Json.read(served.body().getBytes(StandardCharsets.UTF_8), JsonNode.class).get("paths");
        for (var path : (Iterable<Map.Entry<String, JsonNode>>) paths::fields) {
            for (var op : (Iterable<Map.Entry<String, JsonNode>>) path.getValue()::fields) {
                operations++;
                String method = op.getKey().toUpperCase(java.util.Locale.ROOT);
                if (op.getValue().at("/x-lattice-access/public").asBoolean()) continue;
                String concrete = path.getKey().replaceAll("\\{[^}]+}", "probe");
                int status = p.send(method, concrete, null, method.equals("GET") ? null : "{}").status();
                if (status != 401) notServed.add(method + " " + path.getKey() + " -> " + status);
            }
        }
        assertThat(operations).isGreaterThan(60);
        assertThat(notServed).as("documented routes not answering 401 without a token").isEmpty();
    }

    /** Prometheus, given an admin API key, discovers every process through HTTP-SD: all up, all lint-clean. */
    private void prometheusFindsAndScrapesEveryProcess(String url) throws Exception {
        String key = ok("api-keys", "create", "--name", "prometheus", "--role", "admin", "-o", "json").json().get("key").asText();
        Path dir = Files.createDirectories(tmp.resolve("prometheus"));
        try (Prometheus prometheus = Prometheus.discovering(url + "/api/v1/metrics/targets", key, dir)) {
            java.util.Set<String> wanted = new java.util.TreeSet<>(dev.lattice.core.PlatformServices.ALL);
            wanted.addAll(List.of("lattice-up", "agent", "model-server")); // lattice-up: the process of the embedded broker
            java.util.Set<String> up = new java.util.TreeSet<>();
            JsonNode series = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline) {
                series = prometheus.query("up");
                up.clear();
                boolean allUp = series.size() > 0;
                for (JsonNode s : series) {
                    allUp &= s.at("/value/1").asText().equals("1");
                    up.add(s.at("/metric/service").asText());
                }
                if (allUp && up.containsAll(wanted)) break;
                Thread.sleep(500);
            }
            assertThat(up).as("services Prometheus found up; last answer " + series + "\n" + prometheus.log()).containsAll(wanted);
            for (JsonNode s : series) assertThat(s.at("/value/1").asText()).as(s.toString()).isEqualTo("1");
            List<String> complaints = new ArrayList<>();
            List<String> scraped = prometheus.scrapeUrls();
            for (String target : scraped) {
                String said = Prometheus.lint(target);
                if (!said.isEmpty()) complaints.add(said);
            }
            assertThat(complaints).as("promtool check metrics").isEmpty();
            // What an operator draws: readings accepted and refused by cause, commands by status,
            // workloads by status (each agent its own node's), requests by route, each service's consumer lag.
            assertThat(prometheus.query("lattice_readings_accepted_total{transport=\"http\"} >= 1").size()).isEqualTo(1);
            assertThat(prometheus.query("lattice_readings_refused_total{transport=\"http\"} >= 1").toString()).contains("\"cause\":\"sensors:");
            assertThat(prometheus.query("lattice_commands_total{status=\"SENT\"} >= 1").size()).isEqualTo(1);
            assertThat(prometheus.query("sum(lattice_workloads{kind=\"model\",status=\"RUNNING\"}) >= 2").size()).isEqualTo(1);
            assertThat(prometheus.query("lattice_http_requests_seconds_count{route=\"/api/v1/models/{name}/predict\"}").size()).isPositive();
            assertThat(prometheus.query("count by (service) (kafka_consumer_fetch_manager_records_lag_max)").size())
                    .isGreaterThanOrEqualTo(dev.lattice.core.PlatformServices.ALL.size());
            // The same figures without a Prometheus, as the UI's Metrics page reads them.
            JsonNode summary = ok("metrics", "summary", "-o", "json").json();
            assertThat(summary.get("unreachable").size()).as(summary.toString()).isZero();
            assertThat(summary.get("targets").asInt()).isEqualTo(scraped.size());
            assertThat(summary.get("readingsAccepted").asDouble()).isPositive();
            assertThat(summary.get("predictions").asDouble()).isPositive();
            assertThat(summary.at("/workloads/RUNNING").asInt()).isGreaterThanOrEqualTo(3);
            System.out.printf("[operations] Prometheus: %d targets up, promtool clean on each%n", scraped.size());
        }
    }

    record Delivery(String event, String signature, byte[] body) {}

    /** SIGSTOP on the scheduler: replaced within LATTICE_HUNG_AFTER (10 s) + 5 s, health UP again, and a signed webhook of the hung event. */
    private void aHungServiceIsReplacedAndAWebhookToldOfIt(RunningPlatform p) throws Exception {
        var received = new java.util.concurrent.LinkedBlockingQueue<Delivery>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            received.add(new Delivery(exchange.getRequestHeaders().getFirst("X-Lattice-Event"),
                    exchange.getRequestHeaders().getFirst("X-Lattice-Signature"), body));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        try {
            String secret = "a-receiver-secret-" + System.nanoTime();
            String hook = ok(Map.of(), "url: http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook\nevents: [hung]\nsecret: " + secret + "\n",
                    "webhooks", "create", "-f", "-", "-o", "json").json().get("id").asText();
            assertThat(ok("webhooks", "list", "-o", "json").out()).contains(hook).doesNotContain(secret);

            ProcessHandle frozen = p.service(dev.lattice.core.PlatformServices.SCHEDULER).orElseThrow();
            // Past its agent's start grace (30 s), in which silence is not yet a hang.
            while (frozen.info().startInstant().map(t -> t.isAfter(java.time.Instant.now().minusSeconds(31))).orElse(true)) Thread.sleep(500);
            long start = System.nanoTime();
            assertThat(new ProcessBuilder("kill", "-STOP", Long.toString(frozen.pid())).start().waitFor()).isZero();
            while (frozen.isAlive() || p.service(dev.lattice.core.PlatformServices.SCHEDULER).isEmpty()) {
                if (System.nanoTime() - start > Duration.ofSeconds(15).toNanos()) throw new AssertionError("not replaced within 15 s\n" + p.diagnosis());
                Thread.sleep(100);
            }
            long replaced = (System.nanoTime() - start) / 1_000_000;
            while (!p.isUp()) {
                if (System.nanoTime() - start > Duration.ofSeconds(40).toNanos()) throw new AssertionError("health not UP after the hang\n" + p.diagnosis());
                Thread.sleep(200);
            }
            long upAgain = (System.nanoTime() - start) / 1_000_000;

            Delivery d = received.poll(30, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(d).as("a webhook delivery of the hung event").isNotNull();
            assertThat(d.event()).isEqualTo("hung");
            assertThat(new String(d.body(), StandardCharsets.UTF_8)).contains("\"kind\":\"hung\"", "workload/scheduler");
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            assertThat(d.signature()).isEqualTo("sha256=" + HexFormat.of().formatHex(mac.doFinal(d.body())));
            until("the delivery shown DELIVERED", Duration.ofSeconds(10),
                    ds -> ds.size() > 0 && ds.get(0).get("status").asText().equals("DELIVERED"), "webhooks", "deliveries", hook, "-o", "json");
            // The monitor tells of the silence too: service-down, then service-up.
            until("service-down and service-up of the scheduler", Duration.ofSeconds(15), events -> {
                String all = events.toString();
                return all.contains("\"kind\":\"service-down\",\"subject\":\"service/scheduler\"")
                        && all.contains("\"kind\":\"service-up\",\"subject\":\"service/scheduler\"");
            }, "events", "list", "--limit", "100", "-o", "json");
            ok("webhooks", "delete", hook);
            System.out.printf("[operations] kill -STOP scheduler: replaced after %d ms, health UP after %d ms, webhook signed%n", replaced, upAgain);
        } finally {
            receiver.stop(0);
        }
    }
}
