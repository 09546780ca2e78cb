package dev.lattice.cli;

import static dev.lattice.cli.RunningPlatform.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lattice.core.Json;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Issue 14, a remote Docker server made a node through the API ({@code POST /api/v1/nodes}): a host
 * with only a Docker engine on mutual TLS, nothing of Lattice. Bad registrations are refused with
 * the field named; the node comes READY with its engine's version (never its key) shown; a
 * deployment spread over every node gets a replica there, run from the runtime image the platform
 * ships through the engine's API, and so does a model, whose replica there answers through the
 * gateway; the engine stopped, the deployment's replica runs elsewhere within 20 s;
 * {@code DELETE} drains the node and forgets it.
 */
final class DockerServerScenario {
    private DockerServerScenario() {}

    static void run(RunningPlatform p, String admin, String notAdmin, Hosts hosts, int host, Path dir) throws Exception {
        try (RemoteDockerHost engine = RemoteDockerHost.start(hosts, host, dir)) {
            // Refused, nothing kept: a plain-TCP engine (root on its machine for anyone), bad PEM, a non-admin.
            assertProblem(p.send("POST", "/api/v1/nodes", admin, body("d1", engine.url(), null, null, null)), 400, "docker.ca");
            assertProblem(p.send("POST", "/api/v1/nodes", admin, body("d1", engine.url(), engine.ca(), engine.cert(), "not a key")), 400, "docker.key");
            assertProblem(p.send("POST", "/api/v1/nodes", admin, body("d1", engine.url(), "-----BEGIN CERTIFICATE-----\nxx\n-----END CERTIFICATE-----\n",
                    engine.cert(), engine.key())), 400, "docker.ca");
            assertProblem(p.send("POST", "/api/v1/nodes", admin, body("d1", "http://" + hosts.address(host), engine.ca(), engine.cert(), engine.key())),
                    400, "docker.host");
            assertThat(p.send("POST", "/api/v1/nodes", notAdmin, body("d1", engine.url(), engine.ca(), engine.cert(), engine.key())).status())
                    .isEqualTo(403);
            assertThat(p.send("GET", "/api/v1/nodes/d1", admin, null).status()).isEqualTo(404);

            long t0 = System.nanoTime();
            var added = p.send("POST", "/api/v1/nodes", admin, body("d1", engine.url(), engine.ca(), engine.cert(), engine.key()));
            assertThat(added.status()).as(added.body()).isEqualTo(201);
            assertThat(added.body()).contains(engine.url()).doesNotContain("PRIVATE KEY");
            assertThat(p.send("POST", "/api/v1/nodes", admin, body("d1", engine.url(), engine.ca(), engine.cert(), engine.key())).status())
                    .isEqualTo(409);
            long ready = waitFor("d1 READY", Duration.ofSeconds(90), () -> "READY".equals(status(p, admin, "d1")), p);
            var node = p.send("GET", "/api/v1/nodes/d1", admin, null);
            JsonNode d1 = Json.read(node.body().getBytes(), JsonNode.class);
            assertThat(d1.get("runtime").asText()).isEqualTo("docker");
            assertThat(d1.path("docker").path("host").asText()).isEqualTo(engine.url());
            assertThat(d1.path("docker").path("serverVersion").asText()).isNotBlank();
            assertThat(p.send("GET", "/api/v1/nodes", admin, null).body()).doesNotContain("PRIVATE KEY").doesNotContain("BEGIN CERTIFICATE");
            System.out.printf("[multi-host] Docker server d1 (engine %s) READY %d ms after POST /api/v1/nodes%n",
                    d1.path("docker").path("serverVersion").asText(), ready);

            // One replica per node, one of them in the remote engine.
            int nodes = readyCount(p, admin);
            var edge = p.send("POST", "/api/v1/deployments", admin, "{\"name\":\"edge\",\"command\":[\"sh\",\"-c\",\"echo edge-on-$LATTICE_NODE; exec sleep 3605\"],"
                    + "\"replicas\":" + nodes + ",\"resources\":{\"cpu\":0.1,\"memoryMb\":32}}");
            assertThat(edge.status()).as(edge.body()).isEqualTo(201);
            long running = waitFor("edge RUNNING on every node, d1 included", Duration.ofSeconds(240), () -> {
                List<String> on = MultiHostIT.runningNodes(p, admin, "edge");
                return on.size() == nodes && on.contains("d1");
            }, p);
            System.out.printf("[multi-host] a replica RUNNING in d1's engine %d ms after the deploy (%d ms after d1 was added; "
                    + "the first start there waits for the runtime image the platform ships)%n", running, (System.nanoTime() - t0) / 1_000_000);

            // A model served from the remote engine: its server runs on the shipped JDK and jars, its
            // model copied into its container, and the gateway reaches it at the engine's address.
            var parts = new java.util.LinkedHashMap<String, byte[]>();
            parts.put("model", ModelScenarios.Model.random(21).onnx());
            parts.put("contract", ModelScenarios.CONTRACT.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            parts.put("config", ("name: far\nversion: \"1\"\nformat: onnx\nreplicas: " + nodes + "\nresources: {cpu: 0.25, memoryMb: 192}\n")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            var uploaded = p.sendParts("/api/v1/models", notAdmin, parts);
            assertThat(uploaded.status()).as(uploaded.body()).isEqualTo(201);
            var deployed = p.send("POST", "/api/v1/models/far/deploy", notAdmin, "{\"replicas\":" + nodes + "}");
            assertThat(deployed.status()).as(deployed.body()).isEqualTo(202);
            long served;
            try {
                served = waitFor("far's replica READY in d1's engine", Duration.ofSeconds(120),
                        () -> MultiHostIT.readyReplicaNodes(p, notAdmin, "far").contains("d1"), p);
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\n--- d1's engine:\n" + engine.describe()
                        + "\n--- far: " + p.send("GET", "/api/v1/models/far", notAdmin, null).body(), e);
            }
            for (int i = 0; i < 12; i++) {
                var r = p.send("POST", "/api/v1/models/far/predict", notAdmin, ModelScenarios.request(i, "hi", 0.5, 12, -1));
                assertThat(r.status()).as(r.body()).isEqualTo(200);
            }
            System.out.printf("[multi-host] a model replica READY in d1's engine %d ms after its deploy (on %s); predictions answered%n",
                    served, MultiHostIT.readyReplicaNodes(p, notAdmin, "far"));

            // The engine stopped: d1 NOT_READY, its replica RUNNING elsewhere within 20 s.
            long stoppedAt = System.nanoTime();
            engine.stopEngine();
            long moved = waitFor("edge's d1 replica RUNNING elsewhere", Duration.ofSeconds(60), () -> {
                List<String> on = MultiHostIT.runningNodes(p, admin, "edge");
                return on.size() == nodes && !on.contains("d1");
            }, p);
            System.out.printf("[multi-host] d1's engine stopped: its replica RUNNING elsewhere %d ms later%n", (System.nanoTime() - stoppedAt) / 1_000_000);
            assertThat(moved).as("ms from the engine's stop to its replica RUNNING elsewhere").isLessThanOrEqualTo(20_000);

            // Removed: drained (nothing is left on it), then forgotten.
            var removed = p.send("DELETE", "/api/v1/nodes/d1", admin, null);
            assertThat(removed.status()).as(removed.body()).isEqualTo(202);
            long gone = waitFor("d1 forgotten", Duration.ofSeconds(60), () -> p.send("GET", "/api/v1/nodes/d1", admin, null).status() == 404, p);
            System.out.printf("[multi-host] DELETE /api/v1/nodes/d1: forgotten %d ms later%n", gone);
            assertThat(p.send("DELETE", "/api/v1/nodes/n1", admin, null).status()).as("the control plane stays").isEqualTo(409);
            assertThat(p.send("DELETE", "/api/v1/deployments/edge", admin, null).status()).isEqualTo(204);
            assertThat(p.send("DELETE", "/api/v1/models/far/deploy", notAdmin, null).status()).isIn(200, 202, 204);
        }
    }

    private static String body(String name, String host, String ca, String cert, String key) {
        ObjectNode docker = Json.MAPPER.createObjectNode().put("host", host);
        if (ca != null) docker.put("ca", ca);
        if (cert != null) docker.put("cert", cert);
        if (key != null) docker.put("key", key);
        ObjectNode body = Json.MAPPER.createObjectNode().put("name", name);
        body.set("docker", docker);
        return Json.string(body);
    }

    private static void assertProblem(RunningPlatform.Response a, int status, String mention) {
        assertThat(a.status()).as(a.body()).isEqualTo(status);
        assertThat(a.body()).contains(mention).doesNotContain("Exception");
    }

    private static String status(RunningPlatform p, String admin, String node) {
        var r = p.send("GET", "/api/v1/nodes/" + node, admin, null);
        return r.status() == 200 ? Json.read(r.body().getBytes(), JsonNode.class).get("status").asText() : null;
    }

    private static int readyCount(RunningPlatform p, String admin) {
        int n = 0;
        for (JsonNode node : Json.read(p.send("GET", "/api/v1/nodes", admin, null).body().getBytes(), JsonNode.class))
            if (node.get("status").asText().equals("READY")) n++;
        return n;
    }
}
