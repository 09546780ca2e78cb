package dev.lattice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lattice.core.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's walk-through with the CLI alone ({@code lattice NOUN VERB}), each command a process of
 * the built distribution as a user runs it: log in, a user, a model uploaded, deployed and asked, the
 * machine guard's types, devices, app and instance, its outputs and logs, events, an API key used and
 * revoked, the audit log; and the documented exit statuses (1 refused, 2 usage, 3 unreachable).
 */
class CliIT {
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
    void theReadmeWalkThroughWithTheCliAlone() throws Exception {
        Path data = tmp.resolve("data");
        try (RunningPlatform p = RunningPlatform.start(data, RunningPlatform.freePort())) {
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (!p.isUp() || !Files.exists(data.resolve("admin-password"))) {
                if (System.nanoTime() > deadline) throw new AssertionError("not UP after 120 s\n" + p.log());
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
            ok("api-keys", "delete", key.get("id").asText());
            Run revoked = lattice(script, null, "users", "me");
            assertThat(revoked.exit()).isEqualTo(1);
            assertThat(revoked.err()).contains("401");

            // Who changed what, refusals included, without a secret.
            String audit = ok("audit", "list", "--limit", "200", "-o", "json").out();
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
            ok("app-instances", "delete", id);
            System.out.printf("[cli] %d commands, %.0f ms each on average (a JVM each)%n", commands, commandNanos / 1e6 / commands);
        }
    }
}
