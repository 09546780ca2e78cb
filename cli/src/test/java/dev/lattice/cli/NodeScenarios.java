package dev.lattice.cli;

import static dev.lattice.cli.RunningPlatform.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lattice.core.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4's acceptance, black-box, on one runtime: {@code lattice up --nodes 3} as processes,
 * observed through the public API and the machine's process table only. Each workload runs a
 * distinctive {@code sleep} so that the test can find its processes (and their node, from the
 * {@code LATTICE_NODE} in their environment) to kill or freeze them, as a user would with ps.
 */
abstract class NodeScenarios {
    @TempDir
    Path tmp;

    abstract String runtime();

    private RunningPlatform p;
    private String admin;

    /** How many times an agent of {@code node} said it was ready, in this platform's log of that node's agent. */
    private long readyLines(String node) {
        try {
            return java.nio.file.Files.readAllLines(p.data.resolve("logs/agent-" + node + ".log")).stream()
                    .filter(l -> l.contains("agent of node " + node + " ready")).count();
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    private JsonNode get(String path) {
        var r = p.send("GET", path, admin, null);
        assertThat(r.status()).as(path + ": " + r.body()).isEqualTo(200);
        return Json.read(r.body().getBytes(), JsonNode.class);
    }

    private Map<String, String> nodeStatus() {
        Map<String, String> out = new java.util.TreeMap<>();
        for (JsonNode n : get("/api/v1/nodes")) out.put(n.get("name").asText(), n.get("status").asText());
        return out;
    }

    private List<JsonNode> workloads(String deployment) {
        List<JsonNode> out = new ArrayList<>();
        get("/api/v1/workloads?deployment=" + deployment).forEach(out::add);
        return out;
    }

    private boolean allRunning(String deployment, int replicas) {
        var ws = workloads(deployment);
        return ws.size() == replicas && ws.stream().allMatch(w -> w.get("status").asText().equals("RUNNING"));
    }

    private int restartsOn(String deployment, String node) {
        return workloads(deployment).stream().filter(w -> w.get("node").asText().equals(node)).mapToInt(w -> w.get("restarts").asInt()).sum();
    }

    private Set<String> nodesOf(String deployment) {
        return workloads(deployment).stream().map(w -> w.get("node").asText()).collect(Collectors.toSet());
    }

    private void deploy(String body) {
        var r = p.send("POST", "/api/v1/deployments", admin, body);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
    }

    /** Live processes running exactly {@code command}, with the node their environment names. */
    static Map<ProcessHandle, String> processes(String command) {
        Map<ProcessHandle, String> out = new java.util.HashMap<>();
        ProcessHandle.allProcesses().filter(h -> h.info().commandLine().map(c -> c.equals(command) || c.endsWith("/" + command)).orElse(false))
                .forEach(h -> out.put(h, nodeOf(h)));
        return out;
    }

    private static String nodeOf(ProcessHandle h) {
        try {
            for (String kv : Files.readString(Path.of("/proc", Long.toString(h.pid()), "environ")).split("\0")) {
                if (kv.startsWith("LATTICE_NODE=")) return kv.substring("LATTICE_NODE=".length());
            }
        } catch (IOException e) {
            // gone
        }
        return "?";
    }

    private static void signal(String sig, long pid) throws Exception {
        new ProcessBuilder("kill", "-" + sig, Long.toString(pid)).inheritIO().start().waitFor();
    }

    @Test
    void placesHealsReschedulesAndDrains() throws Exception {
        p = RunningPlatform.start(tmp.resolve("data"), RunningPlatform.freePort(), "--nodes", "3", "--runtime", runtime(),
                "--mqtt-port", Integer.toString(RunningPlatform.freePort()));
        try {
            // 150 s as IsolationIT: with the docker runtime every service starts in a container of its
            // own, and beside another class's platform on 2 cores that took more than 90 s (CI, 7 Dec).
            // A Docker platform on a slow day, beside another class's platform: 2.5 min was not always enough (8 Dec CI).
            waitFor("health UP", Duration.ofSeconds(240), p::isUp, p);
            waitFor("the first-start banner", Duration.ofSeconds(30), () -> p.log().contains("First start"), p);
            admin = PlatformIT.token(p, "admin", Files.readString(p.data.resolve("admin-password")).trim());
            waitFor("3 nodes READY", Duration.ofSeconds(20), () -> nodeStatus().equals(Map.of("n1", "READY", "n2", "READY", "n3", "READY")), p);

            // Bad input is refused with a precise 400 and nothing stored; roles are checked.
            assertProblem(p.send("POST", "/api/v1/deployments", admin, "{\"name\":\"bad\",\"command\":[\"x\"],\"replicas\":500}"), 400, "replicas");
            assertProblem(p.send("POST", "/api/v1/deployments", admin, "{\"name\":\"bad\",\"command\":[\"x\"],\"image\":\"y\"}"), 400, "command or image");
            assertProblem(p.send("POST", "/api/v1/deployments", admin, "{\"name\":\"Bad Name\",\"command\":[\"x\"]}"), 400, "name");
            assertProblem(p.send("POST", "/api/v1/deployments", admin, "{\"name\":\"bad\",\"command\":[\"x\"],\"node\":\"n9\"}"), 400, "node");
            assertProblem(p.send("POST", "/api/v1/deployments", admin, "{\"name\":\"bad\",\"command\":[\"x\"],\"resources\":{\"cpu\":-1}}"), 400, "cpu");
            assertThat(get("/api/v1/deployments")).isEmpty();
            assertThat(p.send("POST", "/api/v1/users", admin, "{\"username\":\"conf\",\"password\":\"conf-pass-1\",\"role\":\"platform-configurer\"}").status()).isEqualTo(201);
            String configurer = PlatformIT.token(p, "conf", "conf-pass-1");
            assertThat(p.send("POST", "/api/v1/deployments", configurer, "{\"name\":\"x\",\"command\":[\"x\"]}").status()).isEqualTo(403);
            assertThat(p.send("GET", "/api/v1/nodes", configurer, null).status()).isEqualTo(200);
            assertThat(p.send("POST", "/api/v1/nodes/n2/drain", configurer, null).status()).isEqualTo(403);

            // Three replicas land on three different nodes.
            deploy("{\"name\":\"web\",\"command\":[\"sleep\",\"3601\"],\"replicas\":3}");
            long placed = waitFor("web RUNNING", Duration.ofSeconds(15), () -> allRunning("web", 3), p);
            System.out.printf("[%s] 3 replicas RUNNING %d ms after the request%n", runtime(), placed);
            assertThat(nodesOf("web")).containsExactlyInAnyOrder("n1", "n2", "n3");
            assertThat(p.send("POST", "/api/v1/deployments", admin, "{\"name\":\"web\",\"command\":[\"x\"]}").status()).isEqualTo(409);

            // A CPU burner pinned to n1: new replicas avoid n1. Four loops, so that it takes more than
            // half of the two cores even while the rest of the machine is busy (other tests, a start).
            deploy("{\"name\":\"burner\",\"command\":[\"sh\",\"-c\",\"while :; do :; done & while :; do :; done & while :; do :; done & while :; do :; done\"],\"node\":\"n1\"}");
            waitFor("n1 measurably busy", Duration.ofSeconds(60), () -> {
                for (JsonNode n : get("/api/v1/nodes")) if (n.get("name").asText().equals("n1")) return n.get("placedCpuLoad").asDouble() > 0.5;
                return false;
            }, p);
            deploy("{\"name\":\"api\",\"command\":[\"sleep\",\"3602\"],\"replicas\":3}");
            waitFor("api RUNNING", Duration.ofSeconds(15), () -> allRunning("api", 3), p);
            assertThat(nodesOf("api")).doesNotContain("n1");
            assertThat(p.send("DELETE", "/api/v1/deployments/burner", admin, null).status()).isEqualTo(204);
            assertThat(p.send("DELETE", "/api/v1/deployments/api", admin, null).status()).isEqualTo(204);
            waitFor("api's processes gone", Duration.ofSeconds(15), () -> processes("sleep 3602").isEmpty(), p);

            // kill -9 of a workload: RUNNING again within 3 s, restarts up by one.
            var victim = processes("sleep 3601").keySet().iterator().next();
            String victimNode = nodeOf(victim);
            int restartsBefore = restartsOn("web", victimNode);
            victim.destroyForcibly();
            // One answer for both conditions: two GETs could pair an old "RUNNING" with a new restart count.
            long back = waitFor("web RUNNING again with a restart", Duration.ofSeconds(3), () -> {
                List<JsonNode> ws = workloads("web");
                return ws.size() == 3 && ws.stream().allMatch(w -> w.get("status").asText().equals("RUNNING"))
                        && ws.stream().filter(w -> w.get("node").asText().equals(victimNode)).mapToInt(w -> w.get("restarts").asInt()).sum()
                        == restartsBefore + 1;
            }, p);
            System.out.printf("[%s] kill -9 of a workload: RUNNING again after %d ms%n", runtime(), back);

            // kill -STOP of n2's agent and workloads: NOT_READY within 5 s, its workloads RUNNING elsewhere within 15 s.
            // RUNNING is reported once the process is launched; in the sandbox it becomes "sleep" a moment later.
            waitFor("n2's web process", Duration.ofSeconds(5), () -> processes("sleep 3601").containsValue("n2"), p);
            ProcessHandle agent2 = p.agent("n2").orElseThrow();
            List<ProcessHandle> frozen = new ArrayList<>(List.of(agent2));
            processes("sleep 3601").forEach((h, node) -> { if (node.equals("n2")) frozen.add(h); });
            assertThat(frozen).as("n2's agent and workload; web: " + workloads("web") + ", processes: " + processes("sleep 3601")).hasSize(2);
            for (ProcessHandle h : frozen) signal("STOP", h.pid());
            long notReady = waitFor("n2 NOT_READY", Duration.ofSeconds(5), () -> "NOT_READY".equals(nodeStatus().get("n2")), p);
            long moved = waitFor("web RUNNING without n2", Duration.ofSeconds(15), () -> {
                List<JsonNode> ws = workloads("web");
                return ws.size() == 3 && ws.stream().allMatch(w -> w.get("status").asText().equals("RUNNING") && !w.get("node").asText().equals("n2"));
            }, p);
            System.out.printf("[%s] frozen node: NOT_READY after %d ms, workloads RUNNING elsewhere %d ms later%n", runtime(), notReady, moved);
            for (ProcessHandle h : frozen) signal("CONT", h.pid());
            waitFor("n2 READY again", Duration.ofSeconds(10), () -> "READY".equals(nodeStatus().get("n2")), p);
            waitFor("the stale copy on n2 stopped", Duration.ofSeconds(15), () -> processes("sleep 3601").size() == 3, p);
            assertThat(processes("sleep 3601").values()).doesNotContain("n2");

            // kill -9 of an agent: restarted by lattice up; it adopts its workloads, no duplicates.
            String busy = workloads("web").get(0).get("node").asText();
            ProcessHandle agent = p.agent(busy).orElseThrow();
            Set<Long> before = processes("sleep 3601").keySet().stream().map(ProcessHandle::pid).collect(Collectors.toSet());
            long readyBefore = readyLines(busy);
            agent.destroyForcibly();
            waitFor("agent of " + busy + " restarted", Duration.ofSeconds(10),
                    () -> p.agent(busy).map(a -> a.pid() != agent.pid()).orElse(false), p);
            // Its workloads look RUNNING from the old agent's last report until the new one reports: wait
            // for the new agent to have adopted them (it says "ready"), or the drain below finds nobody to stop them.
            long agentBack = waitFor("the restarted agent of " + busy + " ready", Duration.ofSeconds(60), () -> readyLines(busy) > readyBefore, p);
            System.out.printf("[%s] kill -9 of an agent: its successor ready %d ms after it was restarted%n", runtime(), agentBack);
            Thread.sleep(3000); // time enough for a wrong restart or a duplicate to show
            // A successor that took longer than the node-lost window (3 s of silence, then 5 s NOT_READY) finds
            // its workloads rescheduled, rightly: then they run elsewhere, still once each. Else it adopted them.
            boolean lost = p.send("GET", "/api/v1/events?limit=500", admin, null).body().contains("moved from " + busy + " (NOT_READY");
            if (lost) {
                System.out.printf("[%s] the successor came after the node-lost window: its workloads were rescheduled%n", runtime());
                waitFor("web RUNNING once each after the reschedule", Duration.ofSeconds(15),
                        () -> allRunning("web", 3) && processes("sleep 3601").size() == 3, p);
            } else {
                assertThat(processes("sleep 3601").keySet().stream().map(ProcessHandle::pid).collect(Collectors.toSet())).isEqualTo(before);
                waitFor("an adopted event from " + busy, Duration.ofSeconds(5), () -> p.send("GET", "/api/v1/events?limit=500", admin, null)
                        .body().contains("found running on " + busy + " after an agent restart"), p);
            }
            waitFor("web RUNNING after the agent restart", Duration.ofSeconds(5), () -> allRunning("web", 3), p);

            // Drain moves every workload off a node.
            String drained = busy.equals("n1") ? "n3" : busy;
            assertThat(p.send("POST", "/api/v1/nodes/" + drained + "/drain", admin, null).status()).isEqualTo(202);
            try {
            waitFor(drained + " DRAINING and empty", Duration.ofSeconds(15), () -> {
                List<JsonNode> ws = workloads("web");
                return "DRAINING".equals(nodeStatus().get(drained)) && ws.size() == 3
                        && ws.stream().allMatch(w -> w.get("status").asText().equals("RUNNING") && !w.get("node").asText().equals(drained))
                        && !processes("sleep 3601").containsValue(drained);
            }, p);
            } catch (AssertionError e) {
                throw new AssertionError("nodes: " + nodeStatus() + "; web: " + workloads("web") + "; processes: " + processes("sleep 3601")
                        + "; agent log of " + drained + ": " + java.nio.file.Files.readString(p.data.resolve("logs/agent-" + drained + ".log")), e);
            }
            assertThat(p.send("POST", "/api/v1/nodes/" + drained + "/undrain", admin, null).status()).isEqualTo(202);
            waitFor(drained + " READY again", Duration.ofSeconds(5), () -> "READY".equals(nodeStatus().get(drained)), p);

            // An artefact from the repository: downloaded, verified, run in the workload's folder.
            var upload = p.sendBytes("POST", "/api/v1/artefacts", admin, "echo hello-from-the-artefact\nexec sleep 3604\n".getBytes());
            assertThat(upload.status()).as(upload.body()).isIn(200, 201);
            String sha = Json.read(upload.body().getBytes(), JsonNode.class).get("sha256").asText();
            deploy("{\"name\":\"script\",\"command\":[\"sh\",\"run.sh\"],\"artefact\":{\"sha256\":\"" + sha + "\",\"fileName\":\"run.sh\"}}");
            waitFor("script RUNNING", Duration.ofSeconds(15), () -> allRunning("script", 1), p);
            String scriptId = workloads("script").get(0).get("id").asText();
            waitFor("the artefact's output in the logs", Duration.ofSeconds(10), () -> p.send("GET", "/api/v1/workloads/" + scriptId + "/logs?tail=10", admin, null)
                    .body().contains("hello-from-the-artefact"), p);
            assertThat(p.send("DELETE", "/api/v1/deployments/script", admin, null).status()).isEqualTo(204);

            // Logs and events.
            String id = workloads("web").get(0).get("id").asText();
            assertThat(p.send("GET", "/api/v1/workloads/" + id + "/logs?tail=5", admin, null).status()).isEqualTo(200);
            assertThat(p.send("GET", "/api/v1/workloads/nope/logs", admin, null).status()).isEqualTo(404);
            String events = p.send("GET", "/api/v1/events?limit=500", admin, null).body();
            assertThat(events).contains("\"placed\"", "\"rescheduled\"", "\"node-not-ready\"", "\"restarted\"");

            // Deleting removes the workloads and their processes; SIGTERM leaves nothing behind.
            assertThat(p.send("DELETE", "/api/v1/deployments/web", admin, null).status()).isEqualTo(204);
            waitFor("web's processes gone", Duration.ofSeconds(15), () -> processes("sleep 3601").isEmpty() && workloads("web").isEmpty(), p);
            deploy("{\"name\":\"last\",\"command\":[\"sleep\",\"3603\"],\"replicas\":2}");
            waitFor("last RUNNING", Duration.ofSeconds(15), () -> allRunning("last", 2), p);
            List<ProcessHandle> all = new ArrayList<>(p.process.descendants().toList());
            all.addAll(processes("sleep 3603").keySet());
            p.terminate(Duration.ofSeconds(40));
            waitFor("every process gone", Duration.ofSeconds(10), () -> all.stream().noneMatch(ProcessHandle::isAlive), p);
        } finally {
            p.close();
            processes("sleep 3601").keySet().forEach(ProcessHandle::destroyForcibly);
            if (runtime().equals("docker")) removeContainers();
        }
    }

    /**
     * Containers are not the platform's descendants: remove what a failure left, and only this
     * platform's (their names carry the start of its Kafka cluster id).
     */
    private void removeContainers() throws Exception {
        java.util.Properties meta = new java.util.Properties();
        Path file = p.data.resolve("kafka").resolve("meta.properties");
        if (!Files.exists(file)) return;
        try (var in = Files.newInputStream(file)) {
            meta.load(in);
        }
        String id = meta.getProperty("cluster.id", "").replaceAll("[^A-Za-z0-9]", "").toLowerCase(java.util.Locale.ROOT);
        if (id.length() < 8) return;
        Process rm = new ProcessBuilder("sh", "-c", "docker ps -aq --filter name=lattice-" + id.substring(0, 8) + "- | xargs -r docker rm -f")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!rm.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) rm.destroyForcibly();
    }

    private static void assertProblem(RunningPlatform.Response r, int status, String detailPart) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.body()).contains("\"status\":" + status).contains(detailPart);
    }
}
