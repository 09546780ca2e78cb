package dev.lattice.cli;

import static dev.lattice.cli.RunningPlatform.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import dev.lattice.api.repository.ArtefactClient;
import dev.lattice.core.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6's acceptance, black-box, on {@code lattice up --nodes 2}: an application the project has
 * never seen — a {@code command} bundle written here, a Python script using only the env contract
 * and the public API — is uploaded (bad uploads refused precisely, nothing stored), found in the
 * catalog, instantiated by an end user with devices chosen through the instance filters, and runs:
 * a reading makes it call the model and command the controller, which the device receives over
 * MQTT; its token is refused on a sensor not bound to it; another user cannot see it; a killed
 * process comes back with its log; a cron schedule runs on time without overlap, also after a
 * restart of the platform; stopping removes process and workload.
 */
class AppsIT {
    private static final Path ROOT = Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent();

    /** The app: reports what its token may not do, then turns each new reading into a prediction, a command and an output. */
    private static final String APP = """
            import json, os, time, urllib.request, urllib.error
            URL = os.environ["LATTICE_URL"]; TOKEN = os.environ["LATTICE_TOKEN"]; ME = os.environ["LATTICE_INSTANCE"]
            B = json.loads(os.environ["LATTICE_BINDINGS"]); P = json.loads(os.environ["LATTICE_PARAMS"])
            def call(method, path, body=None):
                req = urllib.request.Request(URL + path, method=method, data=None if body is None else json.dumps(body).encode(),
                                             headers={"Authorization": "Bearer " + TOKEN, "Content-Type": "application/json"})
                try:
                    with urllib.request.urlopen(req, timeout=10) as r:
                        text = r.read()
                        return r.status, (json.loads(text) if text else None)
                except urllib.error.HTTPError as e:
                    return e.code, None
                except OSError as e:
                    return -1, str(e)
            probe = B["probe"][0]; valve = B["valve"][0]
            unbound, _ = call("GET", "/api/v1/sensor-instances/" + P["other"] + "/readings?limit=1")
            foreign, _ = call("POST", "/api/v1/app-instances/" + P["other"] + "/outputs", {"x": 1})
            print("started with", P, "; unbound sensor:", unbound, flush=True)
            call("POST", "/api/v1/app-instances/" + ME + "/outputs", {"kind": "start", "unboundStatus": unbound, "foreignStatus": foreign, "params": P})
            seen = set()
            while True:
                s, readings = call("GET", "/api/v1/sensor-instances/" + probe + "/readings?limit=5")
                for r in (readings or []) if s == 200 else []:
                    if r["ts"] in seen: continue
                    seen.add(r["ts"]); v = r["values"]
                    s2, answer = call("POST", "/api/v1/models/anomaly/predict", v)
                    label = answer["label"] if s2 == 200 else None
                    s3, _ = call("POST", "/api/v1/controller-instances/" + valve + "/commands",
                                 {"command": "set", "params": {"open": label == "anomaly"}})
                    print("reading", v, "->", label, "command", s3, flush=True)
                    call("POST", "/api/v1/app-instances/" + ME + "/outputs",
                         {"kind": "reading", "values": v, "label": label, "predictStatus": s2, "commandStatus": s3})
                time.sleep(0.3)
            """;

    private static final String CONFIG = """
            name: guard
            version: "1"
            description: watches a machine, asks the anomaly model, opens a valve
            runtime: command
            command: ["/usr/bin/python3", "app.py"]
            sensors: [{name: probe, type: machine}]
            controllers: [{name: valve, type: valve}]
            models: [anomaly]
            params: [{name: other, type: string}, {name: level, type: integer, default: 3}]
            resources: {cpu: 0.1, memoryMb: 64}
            """;

    @TempDir
    Path tmp;

    private RunningPlatform p;

    @Test
    void uploadsRunsSchedulesAndStopsAnUnseenApp() throws Exception {
        int port = RunningPlatform.freePort();
        int mqttPort = RunningPlatform.freePort();
        p = RunningPlatform.start(tmp.resolve("data"), port, "--nodes", "2", "--mqtt-port", Integer.toString(mqttPort));
        String scheduled;
        try {
            waitFor("health UP", Duration.ofSeconds(120), p::isUp, p);
            waitFor("the admin password file", Duration.ofSeconds(30), () -> Files.exists(p.data.resolve("admin-password")), p);
            String admin = PlatformIT.token(p, "admin", Files.readString(p.data.resolve("admin-password")).trim());
            for (String[] u : List.of(new String[] {"dev", "app-developer"}, new String[] {"eu", "end-user"},
                    new String[] {"eve", "end-user"})) {
                ok(p.send("POST", "/api/v1/users", admin, "{\"username\":\"" + u[0] + "\",\"password\":\"pass-" + u[0] + "-1\",\"role\":\"" + u[1] + "\"}"), 201);
            }
            String dev = PlatformIT.token(p, "dev", "pass-dev-1");
            String eu = PlatformIT.token(p, "eu", "pass-eu-1");
            String eve = PlatformIT.token(p, "eve", "pass-eve-1");
            Map<String, String> deviceTokens = devices(admin);
            uploadAndDeployModel(admin);

            // Bad uploads: a precise 400 (or 403), nothing stored, nothing written outside a bundle's folder.
            byte[] bundle = zip(Map.of("app.py", APP.getBytes(StandardCharsets.UTF_8)));
            assertProblem(upload(dev, bundle, CONFIG.replace("name: guard\n", "")), 400, "name");
            assertProblem(upload(dev, bundle, CONFIG.replace("command: [\"/usr/bin/python3\", \"app.py\"]\n", "")), 400, "command");
            assertProblem(upload(dev, bundle, CONFIG.replace("type: machine}", "type: nosuchtype}")), 400, "nosuchtype");
            assertProblem(upload(dev, bundle, CONFIG.replace("models: [anomaly]", "models: [nosuchmodel]")), 400, "nosuchmodel");
            assertProblem(upload(dev, bundle, CONFIG.replace("{name: probe, type: machine}", "{name: probe, type: machine, min: 2, max: 1}")), 400, "max");
            assertProblem(upload(dev, bundle, CONFIG.replace("default: 3}", "default: three}")), 400, "default");
            String escapee = "lattice-escaped-" + System.nanoTime();
            byte[] evil = zip(Map.of("app.py", APP.getBytes(StandardCharsets.UTF_8), "../../../../../../../../tmp/" + escapee, "x".getBytes()));
            assertProblem(upload(dev, evil, CONFIG), 400, escapee);
            assertThat(Path.of("/tmp", escapee)).doesNotExist();
            assertProblem(upload(dev, "not an archive".getBytes(StandardCharsets.UTF_8), CONFIG), 400, "app");
            assertThat(upload(eu, bundle, CONFIG).status()).isEqualTo(403);
            assertThat(json(p.send("GET", "/api/v1/apps", eu, null))).isEmpty();
            assertThat(p.send("GET", "/api/v1/artefacts/" + ArtefactClient.hashOf(writeTemp(bundle)), admin, null).status()).isEqualTo(404);

            // A good upload; the same version again is a conflict; the end user finds it in the catalog.
            ok(upload(dev, bundle, CONFIG), 201);
            assertProblem(upload(dev, bundle, CONFIG), 409, "version");
            JsonNode catalog = json(p.send("GET", "/api/v1/apps", eu, null));
            assertThat(catalog).hasSize(1);
            assertThat(catalog.get(0).get("name").asText()).isEqualTo("guard");
            assertThat(catalog.get(0).get("sensors").get(0).get("type").asText()).isEqualTo("machine");

            // The end user picks devices through the filters: the machine in zone north near Berlin, the valve by location.
            String probe = onlyId(p.send("GET", "/api/v1/sensor-instances?type=machine&attr.zone=north&near=52.5,13.4&withinKm=50", eu, null));
            String valve = onlyId(p.send("GET", "/api/v1/controller-instances?type=valve&location=hall", eu, null));
            String other = onlyId(p.send("GET", "/api/v1/sensor-instances?type=machine&attr.zone=south", eu, null));
            assertThat(probe).isEqualTo("press");

            // Bad instance requests: a 400 naming the binding or param, and no instance made.
            assertProblem(create(eu, "{\"bindings\":{\"probe\":[\"" + probe + "\"]},\"params\":{\"other\":\"x\"}}"), 400, "bindings.valve");
            assertProblem(create(eu, "{\"bindings\":{\"probe\":[\"" + valve + "\"],\"valve\":[\"" + valve + "\"]},\"params\":{\"other\":\"x\"}}"), 400, "bindings.probe[0]");
            assertProblem(create(eu, "{\"bindings\":{\"probe\":[\"nope\"],\"valve\":[\"" + valve + "\"]},\"params\":{\"other\":\"x\"}}"), 400, "nope");
            assertProblem(create(eu, "{\"bindings\":{\"probe\":[\"" + probe + "\",\"" + other + "\"],\"valve\":[\"" + valve + "\"]},\"params\":{\"other\":\"x\"}}"), 400, "bindings.probe");
            assertProblem(create(eu, binding(probe, valve, "{\"other\":\"x\",\"level\":2.5}")), 400, "params.level");
            assertProblem(create(eu, binding(probe, valve, "{\"level\":2}")), 400, "params.other");
            assertProblem(create(eu, binding(probe, valve, "{\"other\":\"x\",\"colour\":\"red\"}")), 400, "params.colour");
            assertProblem(create(eu, binding(probe, valve, "{\"other\":\"x\"}").replace("}}", "},\"schedule\":{\"cron\":\"every day\"}}")), 400, "schedule.cron");
            assertThat(p.send("POST", "/api/v1/apps/guard/instances", dev, binding(probe, valve, "{\"other\":\"x\"}")).status()).isEqualTo(403);
            assertThat(json(p.send("GET", "/api/v1/app-instances", admin, null))).isEmpty();

            // The instance: RUNNING within 10 s; its token is refused on a sensor not bound to it.
            long asked = System.nanoTime();
            var created = ok(create(eu, binding(probe, valve, "{\"other\":\"" + other + "\"}")), 201);
            String id = json(created).get("id").asText();
            waitFor("the instance RUNNING", Duration.ofSeconds(10), () -> status(eu, id).equals("RUNNING"), p);
            System.out.printf("app instance RUNNING %d ms after the request%n", (System.nanoTime() - asked) / 1_000_000);
            JsonNode start = waitForOutput(eu, id, "start");
            assertThat(start.get("unboundStatus").asInt()).isEqualTo(403);
            assertThat(start.get("foreignStatus").asInt()).isEqualTo(403);
            assertThat(start.get("params").get("level").asInt()).isEqualTo(3);
            JsonNode mine = json(p.send("GET", "/api/v1/app-instances/" + id, eu, null));
            assertThat(mine.get("owner").asText()).isEqualTo("eu");
            assertThat(mine.get("bindings").get("probe").get(0).asText()).isEqualTo(probe);
            assertThat(mine.get("node").asText()).isIn("n1", "n2");

            // Another end user sees nothing of it.
            assertThat(json(p.send("GET", "/api/v1/app-instances", eve, null))).isEmpty();
            assertThat(p.send("GET", "/api/v1/app-instances/" + id, eve, null).status()).isEqualTo(404);
            assertThat(p.send("GET", "/api/v1/app-instances/" + id + "/outputs", eve, null).status()).isEqualTo(404);
            assertThat(p.send("DELETE", "/api/v1/app-instances/" + id, eve, null).status()).isEqualTo(404);
            assertThat(json(p.send("GET", "/api/v1/app-instances", dev, null))).hasSize(1); // the app's developer does

            // A reading from the bound device: the app asks the model and commands the valve, which gets it over MQTT.
            Mqtt5BlockingClient device = MqttClient.builder().useMqttVersion5().identifier("valve-" + System.nanoTime())
                    .serverHost("127.0.0.1").serverPort(mqttPort).buildBlocking();
            device.connectWith().simpleAuth().username(valve).password(deviceTokens.get(valve).getBytes(StandardCharsets.UTF_8))
                    .applySimpleAuth().send();
            try (var publishes = device.publishes(MqttGlobalPublishFilter.ALL)) {
                device.subscribeWith().topicFilter("controllers/" + valve + "/commands").qos(MqttQos.AT_LEAST_ONCE).send();
                ok(p.send("POST", "/api/v1/sensor-instances/" + probe + "/readings", deviceTokens.get(probe),
                        "{\"temperature\":95,\"vibration\":7,\"current\":16}"), 202);
                var message = publishes.receive(20, TimeUnit.SECONDS).orElseThrow(() -> new AssertionError("no command reached the valve\n"
                        + p.send("GET", "/api/v1/app-instances/" + id + "/logs", eu, null).body()));
                JsonNode command = Json.read(message.getPayloadAsBytes(), JsonNode.class);
                assertThat(command.get("command").asText()).isEqualTo("set");
                assertThat(command.get("params").get("open").asBoolean()).isTrue();
            } finally {
                device.disconnect();
            }
            JsonNode reading = waitForOutput(eu, id, "reading");
            assertThat(reading.get("label").asText()).isEqualTo("anomaly");
            assertThat(reading.get("commandStatus").asInt()).isEqualTo(202);
            assertThat(json(p.send("GET", "/api/v1/controller-instances/" + valve + "/commands", admin, null)).get(0)
                    .get("sentBy").asText()).isEqualTo(id);

            // kill -9 of the app's process: RUNNING again with one restart, its log still readable.
            ProcessHandle victim = appProcesses(id).get(0);
            victim.destroyForcibly();
            waitFor("the app back with one restart", Duration.ofSeconds(15), () -> {
                JsonNode v = json(p.send("GET", "/api/v1/app-instances/" + id, eu, null));
                return v.get("status").asText().equals("RUNNING") && v.get("restarts").asInt() == 1
                        && appProcesses(id).stream().noneMatch(h -> h.pid() == victim.pid()) && !appProcesses(id).isEmpty();
            }, p);
            waitFor("the log of both runs", Duration.ofSeconds(10), () -> {
                var log = p.send("GET", "/api/v1/app-instances/" + id + "/logs?tail=50", eu, null);
                return log.status() == 200 && log.body().split("started with", -1).length == 3 && log.body().contains("-> anomaly");
            }, p);

            // Stopping removes process and workload.
            ok(p.send("DELETE", "/api/v1/app-instances/" + id, eu, null), 202);
            waitFor("the app's process gone", Duration.ofSeconds(15), () -> appProcesses(id).isEmpty(), p);
            waitFor("the app's workload gone", Duration.ofSeconds(15),
                    () -> json(p.send("GET", "/api/v1/workloads?deployment=app-" + id, admin, null)).isEmpty(), p);
            assertThat(p.send("GET", "/api/v1/app-instances/" + id, eu, null).status()).isEqualTo(404);

            // The Java example app, built on the SDK: same machine, its own alarm; a reading becomes an alarm command and an output.
            Path example = ROOT.resolve("examples/apps/machine-guard");
            ok(p.send("POST", "/api/v1/controller-types", admin, Files.readString(example.resolve("controller-type.json"))), 201);
            String siren = json(ok(p.send("POST", "/api/v1/controller-instances", admin,
                    "{\"type\":\"alarm\",\"name\":\"siren\",\"location\":{\"label\":\"hall\"}}"), 201)).get("id").asText();
            Map<String, byte[]> parts = new LinkedHashMap<>();
            parts.put("app", Files.readAllBytes(example.resolve("target/machine-guard.jar")));
            parts.put("config", Files.readAllBytes(example.resolve("config.yaml")));
            ok(p.sendParts("/api/v1/apps", dev, parts), 201);
            String guard = json(ok(p.send("POST", "/api/v1/apps/machine-guard/instances", eu,
                    "{\"bindings\":{\"machine\":[\"" + probe + "\"],\"alarm\":[\"" + siren + "\"]}}"), 201)).get("id").asText();
            waitFor("the Java app RUNNING", Duration.ofSeconds(10), () -> status(eu, guard).equals("RUNNING"), p);
            waitFor("the Java app's output for an anomalous reading", Duration.ofSeconds(30), () -> {
                p.send("POST", "/api/v1/sensor-instances/" + probe + "/readings", deviceTokens.get(probe),
                        "{\"temperature\":95,\"vibration\":7,\"current\":16}");
                for (JsonNode o : json(p.send("GET", "/api/v1/app-instances/" + guard + "/outputs", eu, null))) {
                    if (o.get("value").path("label").asText().equals("anomaly")) return true;
                }
                return false;
            }, p);
            waitFor("the siren commanded by the Java app", Duration.ofSeconds(10), () -> {
                JsonNode commands = json(p.send("GET", "/api/v1/controller-instances/" + siren + "/commands", admin, null));
                return commands.size() > 0 && commands.get(0).get("sentBy").asText().equals(guard)
                        && commands.get(0).get("params").get("on").asBoolean();
            }, p);
            ok(p.send("DELETE", "/api/v1/app-instances/" + guard, eu, null), 202);

            // A cron schedule every 10 s for 4 s: one run per period, each on time, never two at once.
            var sched = ok(create(eu, binding(probe, valve, "{\"other\":\"" + other + "\"}")
                    .replace("}}", "},\"schedule\":{\"cron\":\"*/10 * * * * ?\",\"durationSeconds\":4}}")), 201);
            scheduled = json(sched).get("id").asText();
            assertThat(json(sched).get("status").asText()).isEqualTo("SCHEDULED");
            List<Instant> starts = watchRuns(scheduled, Duration.ofSeconds(32));
            assertRunsOnTime(starts, 3);
            assertThat(schedulerMetrics(admin)).containsPattern("lattice_scheduler_lateness_seconds_count\\{catch_up=\"false\"} [3-9]");
            String s = scheduled;
            // Stopped between runs: a run cut short by the shutdown would be started again by its agent on restart.
            waitFor("no run going on", Duration.ofSeconds(10), () -> appProcesses(s).isEmpty() && status(eu, s).equals("SCHEDULED"), p);
        } catch (Throwable t) {
            stop();
            throw t;
        }

        // The schedule goes on after a restart of the whole platform.
        Instant down = Instant.now();
        p.terminate(Duration.ofSeconds(60));
        assertThat(appProcesses(scheduled)).isEmpty();
        p.close();
        p = RunningPlatform.start(tmp.resolve("data"), port, "--nodes", "2", "--mqtt-port", Integer.toString(RunningPlatform.freePort()));
        try {
            waitFor("health UP after the restart", Duration.ofSeconds(120), p::isUp, p);
            String eu = PlatformIT.token(p, "eu", "pass-eu-1");
            assertThat(status(eu, scheduled)).isIn("SCHEDULED", "RUNNING", "PENDING");
            Thread.sleep(22_000);
            assertRunsAfterRestart(json(p.send("GET", "/api/v1/app-instances/" + scheduled, eu, null)).get("runs"), down);
            ok(p.send("DELETE", "/api/v1/app-instances/" + scheduled, eu, null), 202);
            String id = scheduled;
            waitFor("the scheduled app's process gone", Duration.ofSeconds(15), () -> appProcesses(id).isEmpty(), p);
        } finally {
            stop();
        }
    }

    /** Watches the app's processes for {@code period}; returns each run's start (process start times), checking runs never overlap. */
    private List<Instant> watchRuns(String id, Duration period) throws InterruptedException {
        Map<Long, Instant> seen = new ConcurrentHashMap<>();
        long end = System.nanoTime() + period.toNanos();
        while (System.nanoTime() < end) {
            List<ProcessHandle> now = appProcesses(id);
            assertThat(now.size()).as("processes of one scheduled instance at once").isLessThanOrEqualTo(1);
            for (ProcessHandle h : now) seen.putIfAbsent(h.pid(), h.info().startInstant().orElse(Instant.now()));
            Thread.sleep(100);
        }
        return seen.values().stream().sorted().toList();
    }

    /** Each run started within 3 s after a multiple of 10 s, once per period, and (as the API reports) stopped after ~4 s. */
    private void assertRunsOnTime(List<Instant> starts, int atLeast) {
        assertThat(starts).as("runs seen").hasSizeGreaterThanOrEqualTo(atLeast);
        List<Long> late = new ArrayList<>();
        // A process's start time is computed from boot time plus ticks since boot, which drifts from the
        // wall clock on a VM by up to a second (measured here: 0.5-0.8 s early): a run that started just
        // after its fire time can look up to a second early, i.e. at 9.x s past the previous one.
        for (Instant s : starts) late.add(Math.floorMod(s.toEpochMilli() + 1_000, 10_000L) - 1_000);
        System.out.printf("scheduled runs started %s ms after their fire times (process start times)%n", late);
        // Late by the scheduler's tick, the deployer, the agent and a sandboxed start: ~1 s here, 2.08 s seen once
        // in CI with another platform's test beside it on 2 cores; a run a whole period late (or two in one) still fails.
        for (long l : late) assertThat(l).as("lateness of a run (ms)").isBetween(-1_000L, 3_000L);
        for (int i = 1; i < starts.size(); i++) {
            long gap = Duration.between(starts.get(i - 1), starts.get(i)).toMillis();
            assertThat(gap).as("time between runs (ms)").isBetween(8_000L, 12_000L);
        }
    }

    /**
     * After a restart, as the scheduler reports its runs: at most one catch-up run (for the fire times
     * missed while the platform was down); at least two regular runs; each regular run started within 2 s
     * of its fire time, unless the run before it was still going then (no two runs at once: it waits for
     * that one's end, as happens when a catch-up on a platform still starting is stopped late); no overlap.
     */
    private static void assertRunsAfterRestart(JsonNode runs, Instant down) {
        List<JsonNode> after = new ArrayList<>();
        for (JsonNode r : runs) if (Instant.parse(r.get("startedAt").asText()).isAfter(down)) after.add(r);
        System.out.printf("runs after the restart: %s%n", after);
        assertThat(after.stream().filter(r -> r.get("catchUp").asBoolean()).count()).as("catch-up runs").isLessThanOrEqualTo(1);
        assertThat(after.stream().filter(r -> !r.get("catchUp").asBoolean()).count()).as("regular runs").isGreaterThanOrEqualTo(2);
        for (int i = 0; i < after.size(); i++) {
            JsonNode r = after.get(i);
            JsonNode prev = i == 0 ? null : after.get(i - 1);
            if (prev != null) {
                assertThat(prev.path("stoppedAt").isNull() || prev.path("stoppedAt").isMissingNode()).as("a run before another ended: " + prev).isFalse();
                assertThat(Instant.parse(prev.get("stoppedAt").asText())).isBeforeOrEqualTo(Instant.parse(r.get("startedAt").asText()));
            }
            if (r.get("catchUp").asBoolean() || r.get("latenessMs").asLong() < 2_000) continue;
            boolean waited = prev != null && Instant.parse(prev.get("stoppedAt").asText()).isAfter(Instant.parse(r.get("scheduledAt").asText()));
            boolean first = prev == null; // the fire time the scheduler found just due as it came back
            assertThat(waited || first).as("a regular run more than 2 s late without waiting for the run before it: " + r).isTrue();
        }
    }

    /** The scheduler's Prometheus text, from the {@code /metrics} its process advertises (admin's target list). */
    private String schedulerMetrics(String admin) throws IOException, InterruptedException {
        String url = null;
        for (JsonNode g : json(ok(p.send("GET", "/api/v1/metrics/targets", admin, null), 200))) {
            if (g.path("labels").path("service").asText().equals("scheduler")) url = "http://" + g.path("targets").get(0).asText() + "/metrics";
        }
        assertThat(url).as("the scheduler's metrics target").isNotNull();
        var r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    private Path writeTemp(byte[] bytes) throws IOException {
        Path f = Files.createTempFile(tmp, "bundle", ".zip");
        Files.write(f, bytes);
        return f;
    }

    private Map<String, String> devices(String admin) {
        ok(p.send("POST", "/api/v1/sensor-types", admin, "{\"name\":\"machine\",\"fields\":[{\"name\":\"temperature\",\"type\":\"number\"},"
                + "{\"name\":\"vibration\",\"type\":\"number\"},{\"name\":\"current\",\"type\":\"number\"}]}"), 201);
        ok(p.send("POST", "/api/v1/controller-types", admin, "{\"name\":\"valve\",\"commands\":[{\"name\":\"set\",\"params\":[{\"name\":\"open\",\"type\":\"boolean\"}]}]}"), 201);
        Map<String, String> tokens = new LinkedHashMap<>();
        for (String body : List.of(
                "{\"type\":\"machine\",\"name\":\"press\",\"location\":{\"label\":\"hall\",\"lat\":52.52,\"lon\":13.40},\"attributes\":{\"zone\":\"north\"}}",
                "{\"type\":\"machine\",\"name\":\"lathe\",\"location\":{\"label\":\"hall\",\"lat\":48.14,\"lon\":11.58},\"attributes\":{\"zone\":\"north\"}}",
                "{\"type\":\"machine\",\"name\":\"drill\",\"location\":{\"label\":\"yard\"},\"attributes\":{\"zone\":\"south\"}}")) {
            JsonNode d = json(ok(p.send("POST", "/api/v1/sensor-instances", admin, body), 201));
            tokens.put(d.get("id").asText(), d.get("token").asText());
        }
        JsonNode v = json(ok(p.send("POST", "/api/v1/controller-instances", admin,
                "{\"type\":\"valve\",\"name\":\"inlet\",\"location\":{\"label\":\"hall\"}}"), 201));
        tokens.put(v.get("id").asText(), v.get("token").asText());
        return tokens;
    }

    private void uploadAndDeployModel(String admin) throws IOException, InterruptedException {
        Path dir = ROOT.resolve("examples/models/anomaly");
        Map<String, byte[]> parts = new LinkedHashMap<>();
        parts.put("model", Files.readAllBytes(dir.resolve("model.onnx")));
        parts.put("contract", Files.readAllBytes(dir.resolve("contract.yaml")));
        parts.put("config", Files.readAllBytes(dir.resolve("config.yaml")));
        ok(p.sendParts("/api/v1/models", admin, parts), 201);
        ok(p.send("POST", "/api/v1/models/anomaly/deploy", admin, "{}"), 202);
        waitFor("the anomaly model READY", Duration.ofSeconds(90), () -> {
            JsonNode d = json(p.send("GET", "/api/v1/models/anomaly", admin, null)).get("deployed");
            return d != null && d.get("status").asText().equals("READY");
        }, p);
    }

    private RunningPlatform.Response upload(String token, byte[] app, String config) {
        Map<String, byte[]> parts = new LinkedHashMap<>();
        parts.put("app", app);
        parts.put("config", config.getBytes(StandardCharsets.UTF_8));
        return p.sendParts("/api/v1/apps", token, parts);
    }

    private RunningPlatform.Response create(String token, String body) {
        return p.send("POST", "/api/v1/apps/guard/instances", token, body);
    }

    private static String binding(String probe, String valve, String params) {
        return "{\"bindings\":{\"probe\":[\"" + probe + "\"],\"valve\":[\"" + valve + "\"]},\"params\":" + params + "}";
    }

    private String status(String token, String id) {
        var r = p.send("GET", "/api/v1/app-instances/" + id, token, null);
        return r.status() == 200 ? json(r).get("status").asText() : "HTTP " + r.status();
    }

    private JsonNode waitForOutput(String token, String id, String kind) throws InterruptedException {
        JsonNode[] found = new JsonNode[1];
        waitFor("an output of kind " + kind, Duration.ofSeconds(20), () -> {
            for (JsonNode o : json(p.send("GET", "/api/v1/app-instances/" + id + "/outputs?limit=50", token, null))) {
                if (o.get("value").path("kind").asText().equals(kind)) {
                    found[0] = o.get("value");
                    return true;
                }
            }
            return false;
        }, p);
        return found[0];
    }

    private String onlyId(RunningPlatform.Response r) {
        JsonNode list = json(ok(r, 200));
        assertThat(list).as(r.body()).hasSize(1);
        return list.get(0).get("id").asText();
    }

    /**
     * The processes of app instance {@code id} on this machine: found as an operator would, by their
     * environment. The app's own process is {@code python3 app.py}; the sandbox around it (bubblewrap,
     * whose command line also names app.py) is not the app.
     */
    private static List<ProcessHandle> appProcesses(String id) {
        return ProcessHandle.allProcesses().filter(h -> h.info().arguments().map(a -> a.length == 1 && a[0].equals("app.py")).orElse(false))
                .filter(h -> environ(h).contains("\0LATTICE_INSTANCE=" + id + "\0")).toList();
    }

    private static String environ(ProcessHandle h) {
        try {
            return "\0" + Files.readString(Path.of("/proc", Long.toString(h.pid()), "environ"), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return ""; // gone
        }
    }

    private static byte[] zip(Map<String, byte[]> entries) throws IOException {
        var out = new ByteArrayOutputStream();
        try (var zip = new ZipOutputStream(out)) {
            for (var e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }

    private static JsonNode json(RunningPlatform.Response r) {
        return Json.read(r.body().getBytes(StandardCharsets.UTF_8), JsonNode.class);
    }

    private static RunningPlatform.Response ok(RunningPlatform.Response r, int status) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        return r;
    }

    private static void assertProblem(RunningPlatform.Response r, int status, String detailContains) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(json(r).get("detail").asText()).as(r.body()).contains(detailContains);
    }

    private void stop() {
        try {
            p.terminate(Duration.ofSeconds(60));
        } catch (Throwable e) {
            System.err.println(e.getMessage());
        }
        p.close();
    }
}
