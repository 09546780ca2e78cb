package dev.lattice.cli;

import static dev.lattice.cli.RunningPlatform.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lattice.cli.hostile.HostileApp;
import dev.lattice.core.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * The trust boundary, black-box (issue 11): on {@code lattice up} — the process runtime, then the
 * docker runtime — an app developer uploads a hostile app ({@link HostileApp}) and an end user
 * starts it. It tries to read the platform's data, {@code /etc/shadow} and other processes'
 * environments, to signal the platform, to write outside its folder, to fork 600 processes and
 * to allocate ten times its memory. It must run as a non-root uid, get none of that, be OOM-killed
 * and restarted with reason OOMKilled and an {@code oom-killed} event, while health stays UP and no
 * platform service restarts.
 */
@ResourceLock(ITResources.DOCKER)
@ResourceLock(ITResources.MODEL_IRIS)
class IsolationIT {
    private static final int MEMORY_MB = 128;
    private static final String CONFIG = """
            name: hostile
            version: "1"
            description: tries to cross every boundary it can find
            runtime: java
            main: %s
            params: [{name: data, type: string}, {name: upPid, type: string}, {name: memoryMb, type: string}, {name: modelPort, type: string}]
            resources: {cpu: 0.5, memoryMb: %d}
            """.formatted(HostileApp.class.getName(), MEMORY_MB);

    @TempDir
    Path tmp;

    /** On the process runtime, a model is deployed first, and the app also tries its server's port without the gateway. */
    @Test
    void aHostileAppOnTheProcessRuntimeReachesNothing() throws Exception {
        run(true);
    }

    @Test
    void aHostileAppOnTheDockerRuntimeReachesNothing() throws Exception {
        DockerEngine.requireOrSkip();
        run(false, "--runtime", "docker");
    }

    private void run(boolean withModel, String... args) throws Exception {
        List<String> all = new java.util.ArrayList<>(List.of("--mqtt-port", Integer.toString(RunningPlatform.freePort())));
        all.addAll(List.of(args));
        RunningPlatform p = RunningPlatform.start(tmp.resolve("data"), RunningPlatform.freePort(), all.toArray(String[]::new));
        try {
            // A Docker platform on a slow day, beside another class's platform: 2.5 min was not always enough (8 Dec CI).
            waitFor("health UP", Duration.ofSeconds(240), p::isUp, p);
            waitFor("the admin password file", Duration.ofSeconds(30), () -> Files.exists(p.data.resolve("admin-password")), p);
            String admin = PlatformIT.token(p, "admin", Files.readString(p.data.resolve("admin-password")).trim());
            for (String[] u : List.of(new String[] {"dev", "app-developer"}, new String[] {"eu", "end-user"})) {
                ok(p.send("POST", "/api/v1/users", admin, "{\"username\":\"" + u[0] + "\",\"password\":\"pass-" + u[0] + "-1\",\"role\":\"" + u[1] + "\"}"), 201);
            }
            String dev = PlatformIT.token(p, "dev", "pass-dev-1");
            String eu = PlatformIT.token(p, "eu", "pass-eu-1");

            Map<String, byte[]> parts = new LinkedHashMap<>();
            parts.put("app", hostileJar());
            parts.put("config", CONFIG.getBytes(StandardCharsets.UTF_8));
            ok(p.sendParts("/api/v1/apps", dev, parts), 201);
            String modelPort = withModel ? deployModel(p, admin) : "0";
            String params = "{\"data\":\"" + p.data + "\",\"upPid\":\"" + p.process.pid() + "\",\"memoryMb\":\"" + MEMORY_MB
                    + "\",\"modelPort\":\"" + modelPort + "\"}";
            String id = json(ok(p.send("POST", "/api/v1/apps/hostile/instances", eu, "{\"bindings\":{},\"params\":" + params + "}"), 201))
                    .get("id").asText();

            if (withModel) {
                servicesHoldOnlyTheirOwnKafkaRights(p);
                theGatewaysUserCannotMakeAuthActForAnAdmin(p, admin, eu);
            }

            JsonNode report = waitForOutput(p, eu, id);
            System.out.println("IsolationIT " + String.join(" ", args) + ": the hostile app reported " + report);
            assertThat(report.get("uid").asInt()).as("its uid").isPositive();
            assertThat(report.get("dataFilesRead").asInt()).as("files of the data folder it read: " + report.get("dataFilesReadSample")).isZero();
            assertThat(report.get("shadowRead").asBoolean()).as("/etc/shadow read").isFalse();
            assertThat(report.get("otherEnvironsRead").asInt()).as("other processes' environments read").isZero();
            assertThat(report.get("platformProcessesSeen").asInt()).as("platform processes seen").isZero();
            assertThat(report.get("processesSeen").asInt()).as("processes seen").isLessThan(10);
            assertThat(report.get("signalled").asInt()).as("platform processes signalled").isZero();
            assertThat(report.get("wroteOutside").asText()).as("written outside its folder").isEmpty();
            assertThat(report.get("forked").asInt()).as("processes forked (limit 256 with its threads)").isBetween(1, 255);
            if (withModel) assertThat(report.get("modelServerAnswered").asText()).as("a model server's port without the key").isEqualTo("401 401");
            try (Stream<Path> files = Files.walk(p.data)) {
                assertThat(files.filter(f -> f.getFileName().toString().equals("pwned")).toList()).isEmpty();
            }

            // Ten times its memory: the kernel kills it, the agent says why and restarts it.
            String workload = "app-" + id;
            JsonNode[] seen = new JsonNode[1];
            waitFor("the hostile app OOM-killed and restarted", Duration.ofSeconds(120), () -> {
                JsonNode list = json(p.send("GET", "/api/v1/workloads?deployment=" + workload, admin, null));
                if (list.isEmpty()) return false;
                seen[0] = list.get(0);
                return seen[0].path("lastExit").path("reason").asText().equals("OOMKilled") && seen[0].get("restarts").asInt() >= 1;
            }, p);
            String wid = seen[0].get("id").asText();
            JsonNode fetched = json(ok(p.send("GET", "/api/v1/workloads/" + wid, admin, null), 200));
            assertThat(fetched.path("lastExit").path("reason").asText()).isEqualTo("OOMKilled");
            assertThat(fetched.path("lastExit").has("at")).isTrue();
            waitFor("an oom-killed event", Duration.ofSeconds(20), () -> {
                for (JsonNode e : json(p.send("GET", "/api/v1/events", admin, null))) {
                    if (e.get("kind").asText().equals("oom-killed") && e.get("subject").asText().equals("workload/" + wid)) return true;
                }
                return false;
            }, p);

            // Killed again and again (restarted after 1, 2, 4 s): a crash loop, told of the workload and of its app instance.
            waitFor("crash-looping and app-instance-failed events", Duration.ofSeconds(90), () -> {
                String events = p.send("GET", "/api/v1/events?limit=1000", admin, null).body();
                return events.contains("\"kind\":\"crash-looping\",\"subject\":\"workload/" + wid + "\"")
                        && events.contains("\"kind\":\"app-instance-failed\",\"subject\":\"app-instance/" + id + "\"");
            }, p);

            // The platform did not notice: UP, no service restarted, `up` alive.
            assertThat(p.isUp()).isTrue();
            assertThat(p.process.isAlive()).isTrue();
            for (JsonNode w : json(p.send("GET", "/api/v1/workloads", admin, null))) {
                if (w.get("kind").asText().equals("service"))
                    assertThat(w.get("restarts").asInt()).as(w + "\n" + logTail(p.data.resolve("logs").resolve(w.get("id").asText() + ".log"))).isZero();
            }
            JsonNode nodes = json(p.send("GET", "/api/v1/nodes", admin, null));
            assertThat(nodes.get(0).get("sandbox").asText()).as("how n1 confines").isNotBlank().doesNotContain("none");
            ok(p.send("DELETE", "/api/v1/app-instances/" + id, eu, null), 202);
        } finally {
            try {
                p.terminate(Duration.ofSeconds(60));
            } catch (Throwable e) {
                System.err.println(e.getMessage());
            }
            p.close();
        }
    }

    /** Uploads and deploys the example iris model; returns its replica's port, found as an operator would (in /proc). */
    private static String deployModel(RunningPlatform p, String admin) throws Exception {
        Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent().resolve("examples/models/iris");
        Map<String, byte[]> parts = new LinkedHashMap<>();
        parts.put("model", Files.readAllBytes(dir.resolve("model.onnx")));
        parts.put("contract", Files.readAllBytes(dir.resolve("contract.yaml")));
        parts.put("config", Files.readAllBytes(dir.resolve("config.yaml")));
        ok(p.sendParts("/api/v1/models", admin, parts), 201);
        ok(p.send("POST", "/api/v1/models/iris/deploy", admin, "{\"replicas\":1}"), 202);
        waitFor("the iris model READY", Duration.ofSeconds(120), () -> {
            JsonNode d = json(p.send("GET", "/api/v1/models/iris", admin, null)).get("deployed");
            return d != null && d.get("status").asText().equals("READY");
        }, p);
        for (ProcessHandle h : ProcessHandle.allProcesses().toList()) {
            List<String> a = List.of(h.info().arguments().orElse(new String[0]));
            int i = a.indexOf("--model");
            if (i < 0 || i + 1 >= a.size() || !a.get(i + 1).equals("iris")) continue;
            try {
                for (String kv : Files.readString(Path.of("/proc", Long.toString(h.pid()), "environ"), StandardCharsets.ISO_8859_1).split("\0")) {
                    if (kv.startsWith("LATTICE_PORT=")) return kv.substring("LATTICE_PORT=".length());
                }
            } catch (IOException gone) {
                // ended while we looked
            }
        }
        throw new AssertionError("no iris model server found in /proc");
    }

    /** The hostile app alone in a jar, as its developer would build it. */
    private static byte[] hostileJar() throws IOException {
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().put(Attributes.Name.MAIN_CLASS, HostileApp.class.getName());
        var out = new ByteArrayOutputStream();
        String entry = HostileApp.class.getName().replace('.', '/') + ".class";
        try (var jar = new JarOutputStream(out, m); InputStream in = HostileApp.class.getClassLoader().getResourceAsStream(entry)) {
            jar.putNextEntry(new JarEntry(entry));
            in.transferTo(jar);
            jar.closeEntry();
        }
        return out.toByteArray();
    }

    private static JsonNode waitForOutput(RunningPlatform p, String token, String id) throws InterruptedException {
        JsonNode[] found = new JsonNode[1];
        waitFor("the hostile app's report", Duration.ofSeconds(90), () -> {
            var r = p.send("GET", "/api/v1/app-instances/" + id + "/outputs?limit=50", token, null);
            if (r.status() != 200) return false;
            for (JsonNode o : json(r)) {
                if (o.get("value").path("phase").asText().equals("probed")) {
                    found[0] = o.get("value");
                    return true;
                }
            }
            return false;
        }, p);
        return found[0];
    }

    private static String logTail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log at " + log + ")";
        }
    }

    private static JsonNode json(RunningPlatform.Response r) {
        return Json.read(r.body().getBytes(StandardCharsets.UTF_8), JsonNode.class);
    }

    /**
     * Each service logs in to Kafka as itself: with the credential of the service that parses what
     * devices send (sensors) or of the gateway, a process that took either over can neither write
     * users, deployments or workloads, nor ask auth or the deployer to act for an admin, nor read
     * password hashes or remote engines' keys, nor make itself another Kafka user.
     */
    private static void servicesHoldOnlyTheirOwnKafkaRights(RunningPlatform p) throws Exception {
        List<String> ownedByOthers = List.of("lattice.state.user", "lattice.state.deployment", "lattice.state.workload", "lattice.state.node",
                "lattice.state.endpoint", "lattice.state.health", "lattice.requests.repository");
        for (String service : List.of("sensors", "gateway")) {
            ServiceIdentityCheck id = ServiceIdentityCheck.of(p.data, service);
            id.canRead("lattice.state.sensor-type");
            id.cannotWrite(ownedByOthers);
            id.cannotRead(List.of("lattice.state.user", "lattice.state.docker-node", "lattice.state.join-token"));
            id.cannotMakeUsers();
        }
        // The gateway calls auth for logins; the sensors service calls no service at all.
        ServiceIdentityCheck.of(p.data, "sensors").cannotWrite(List.of("lattice.requests.auth", "lattice.requests.deployer",
                "lattice.app-outputs", "lattice.audit"));
        System.out.println("IsolationIT: the sensors' and the gateway's Kafka users were refused every write, read and grant tried");
    }

    /**
     * Auth acts for a user only on that user's own credential: with the gateway's Kafka user (which
     * may write auth's request topic), a request to make an admin that claims the admin but carries
     * no credential, or an end user's token, is refused and makes nothing; with the admin's own token,
     * as the gateway forwards it, the same request works.
     */
    private static void theGatewaysUserCannotMakeAuthActForAnAdmin(RunningPlatform p, String adminToken, String endUserToken)
            throws Exception {
        ServiceIdentityCheck gateway = ServiceIdentityCheck.of(p.data, "gateway");
        dev.lattice.core.Principal admin = dev.lattice.core.Principal.user("admin", dev.lattice.core.Role.ADMIN);
        Map<String, String> forged = Map.of("username", "forged", "password", "pass-forged-1", "role", "admin");
        assertThat(gateway.request("auth", "create-user", forged, admin, null)).as("claiming the admin, no credential").isEqualTo(401);
        assertThat(gateway.request("auth", "create-user", forged, admin, endUserToken)).as("claiming the admin with an end user's token")
                .isEqualTo(401);
        assertThat(gateway.request("auth", "create-user", forged, admin, "not-a-token")).as("claiming the admin with junk").isEqualTo(401);
        assertThat(gateway.request("auth", "create-user", forged, dev.lattice.core.Principal.service("scheduler"), null))
                .as("claiming a platform service (which holds every right)").isEqualTo(401);
        assertThat(gateway.request("auth", "create-user", forged,
                new dev.lattice.core.Principal("anonymous", dev.lattice.core.Role.ADMIN, dev.lattice.core.Principal.Kind.ANONYMOUS), null))
                .as("an anonymous request that says it has the admin role").isEqualTo(401);
        assertThat(p.send("GET", "/api/v1/users", adminToken, null).body()).doesNotContain("\"forged\"");
        Map<String, String> relayed = Map.of("username", "relayed", "password", "pass-relayed-1", "role", "end-user");
        assertThat(gateway.request("auth", "create-user", relayed, admin, adminToken)).as("the admin's own token").isEqualTo(200);
        assertThat(p.send("GET", "/api/v1/users", adminToken, null).body()).contains("\"relayed\"");

        // Nor any other service: each acts for a user only on that user's token, for a service only on its lane.
        var listTokens = dev.lattice.workloads.NodeCommands.LIST_JOIN_TOKENS;
        assertThat(gateway.request("nodes", listTokens, Map.of(), admin, null)).as("join tokens, claiming the admin").isEqualTo(401);
        assertThat(gateway.request("nodes", listTokens, Map.of(), admin, endUserToken)).as("... with an end user's token").isEqualTo(401);
        assertThat(gateway.request("nodes", listTokens, Map.of(), admin, adminToken)).as("... with the admin's own token").isEqualTo(200);
        assertThat(gateway.request("monitor", "list-webhooks", null, admin, null)).as("webhooks, claiming the admin").isEqualTo(401);
        var delete = new dev.lattice.workloads.DeployerCommands.Delete("model-anything");
        for (String service : List.of("apps", "models", "scheduler")) {
            assertThat(gateway.request("deployer", dev.lattice.workloads.DeployerCommands.DELETE, delete,
                    dev.lattice.core.Principal.service(service), null)).as("a deployment deleted claiming service " + service).isEqualTo(401);
        }
        assertThat(gateway.request("deployer", dev.lattice.workloads.DeployerCommands.DELETE, delete, admin, null))
                .as("a deployment deleted claiming the admin").isEqualTo(401);
        assertThat(gateway.request("models", "undeploy-model", Map.of("name", "x"), admin, null)).as("models, claiming the admin").isEqualTo(401);
        assertThat(gateway.request("sensors", "delete-sensor-type", Map.of("name", "x"), admin, null)).as("sensors, claiming the admin")
                .isEqualTo(401);
        assertThat(gateway.request("apps", "delete-app-instance", Map.of("id", "x"), admin, null)).as("apps, claiming the admin")
                .isEqualTo(401);
        var logs = new dev.lattice.workloads.AgentCommands.Logs("anything", 5);
        assertThat(gateway.request(dev.lattice.workloads.AgentCommands.service("n1"), dev.lattice.workloads.AgentCommands.LOGS, logs,
                admin, null)).as("an agent's log tail, claiming the admin").isEqualTo(401);
        assertThat(gateway.request(dev.lattice.workloads.AgentCommands.service("n1"), dev.lattice.workloads.AgentCommands.LOGS, logs,
                dev.lattice.core.Principal.service("gateway"), null)).as("an agent's log tail, claiming the gateway").isEqualTo(401);
        assertThat(gateway.request(dev.lattice.workloads.AgentCommands.service("n1"), dev.lattice.workloads.AgentCommands.LOGS, logs,
                admin, adminToken)).as("an agent's log tail with the admin's own token: past the check, no such workload").isEqualTo(404);
        // The lanes that prove a service is who it says are the broker's to guard: the gateway cannot write them.
        gateway.cannotWrite(List.of(dev.lattice.bus.Topics.lane("deployer", "apps"), dev.lattice.bus.Topics.lane("deployer", "scheduler"),
                dev.lattice.bus.Topics.lane("repository", "models")));
        System.out.println("IsolationIT: auth refused every request that claimed the admin without the admin's credential");
    }

    private static RunningPlatform.Response ok(RunningPlatform.Response r, int status) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        return r;
    }
}
