package dev.lattice.gateway.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.lattice.core.Json;
import dev.lattice.gateway.TestHttp;
import dev.lattice.gateway.TestHttp.Response;
import dev.lattice.gateway.TestPlatform;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Webhooks (API.md "Operating it"): a local receiver gets a real event, signed with HMAC-SHA256 of
 * the body, after one refusal (retried with back-off); its deliveries are visible; only admins
 * manage webhooks; no answer shows the secret.
 */
class WebhooksIT {
    private static final String SECRET = "it-webhook-secret-0123456789";
    private static TestHttp http;
    private static String admin;
    private static HttpServer receiver;
    private static final List<Received> received = new CopyOnWriteArrayList<>();
    private static final AtomicInteger refusalsLeft = new AtomicInteger(1);

    record Received(String path, String delivery, String signature, String event, byte[] body) {}

    @BeforeAll
    static void start() throws IOException {
        http = TestPlatform.http();
        admin = http.login("admin", TestPlatform.ADMIN_PASSWORD);
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            boolean refuse = exchange.getRequestURI().getPath().equals("/flaky") && refusalsLeft.getAndDecrement() > 0;
            received.add(new Received(exchange.getRequestURI().getPath(), exchange.getRequestHeaders().getFirst("X-Lattice-Delivery"),
                    exchange.getRequestHeaders().getFirst("X-Lattice-Signature"),
                    exchange.getRequestHeaders().getFirst("X-Lattice-Event"), body));
            exchange.sendResponseHeaders(refuse ? 500 : 204, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterAll
    static void stop() {
        receiver.stop(0);
    }

    private static String url(String path) {
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + path;
    }

    private static String hook(String path, String events) {
        return "{\"url\":\"" + url(path) + "\",\"events\":" + events + ",\"secret\":\"" + SECRET + "\"}";
    }

    @Test
    void onlyAdminsManageWebhooksAndBadOnesAreRefused() {
        http.ensureUser(admin, "hooks-configurer", "configurer-password", "platform-configurer");
        String configurer = http.login("hooks-configurer", "configurer-password");
        assertThat(http.post("/api/v1/webhooks", configurer, hook("/x", "[\"*\"]")).status()).isEqualTo(403);
        assertThat(http.get("/api/v1/webhooks", configurer).status()).isEqualTo(403);
        Response ftp = http.post("/api/v1/webhooks", admin, "{\"url\":\"ftp://127.0.0.1/x\",\"events\":[\"*\"],\"secret\":\"" + SECRET + "\"}");
        assertThat(ftp.status()).isEqualTo(400);
        assertThat(ftp.body()).contains("url");
        Response shortSecret = http.post("/api/v1/webhooks", admin, "{\"url\":\"" + url("/x") + "\",\"events\":[\"*\"],\"secret\":\"short\"}");
        assertThat(shortSecret.status()).isEqualTo(400);
        assertThat(shortSecret.body()).contains("secret");
        Response badKind = http.post("/api/v1/webhooks", admin, hook("/x", "[\"Not A Kind\"]"));
        assertThat(badKind.status()).isEqualTo(400);
        assertThat(badKind.body()).contains("events[0]");
        assertThat(http.get("/api/v1/webhooks/nope/deliveries", admin).status()).isEqualTo(404);
    }

    @Test
    void aRealEventArrivesSignedAfterARetryAndItsDeliveriesAreVisible() throws Exception {
        Response made = http.post("/api/v1/webhooks", admin, hook("/flaky", "[\"*\"]"));
        assertThat(made.status()).as(made.body()).isEqualTo(201);
        assertThat(made.body()).doesNotContain(SECRET);
        String id = made.json().get("id").asText();
        String quiet = http.post("/api/v1/webhooks", admin, hook("/quiet", "[\"hung\"]")).json().get("id").asText();
        assertThat(http.get("/api/v1/webhooks", admin).body()).contains(id, quiet).doesNotContain(SECRET);

        // A real event: a deployment the deployer cannot place yet (no node in this platform) is "pending".
        Response deployment = http.post("/api/v1/deployments", admin,
                "{\"name\":\"hooked\",\"command\":[\"sleep\",\"60\"],\"replicas\":1,\"resources\":{\"cpu\":0.1,\"memoryMb\":32}}");
        assertThat(deployment.status()).as(deployment.body()).isEqualTo(201);

        // The first POST is refused (500): the same delivery comes again, after the back-off.
        long deadline = System.nanoTime() + 30_000_000_000L;
        List<Received> refusedThenAgain;
        while ((refusedThenAgain = retried()).size() < 2) {
            if (System.nanoTime() > deadline) throw new AssertionError("no delivery tried twice within 30 s; got " + received);
            Thread.sleep(100);
        }
        Received first = refusedThenAgain.get(0);
        Received second = refusedThenAgain.get(1);
        assertThat(second.body()).isEqualTo(first.body());
        for (Received r : List.of(first, second)) {
            assertThat(r.signature()).isEqualTo("sha256=" + hmac(SECRET, r.body()));
            assertThat(r.signature()).isNotEqualTo("sha256=" + hmac(SECRET + "x", r.body()));
        }
        JsonNode event = Json.read(first.body(), JsonNode.class);
        assertThat(event.get("kind").asText()).isEqualTo(first.event());
        // The same JSON as GET /api/v1/events gives.
        assertThat(http.get("/api/v1/events", admin).json()).anyMatch(e -> e.equals(event));

        JsonNode deliveries = http.get("/api/v1/webhooks/" + id + "/deliveries", admin).json();
        JsonNode delivered = null;
        for (JsonNode d : deliveries) if (d.get("event").equals(event)) delivered = d;
        assertThat(delivered).as(deliveries.toString()).isNotNull();
        assertThat(delivered.get("status").asText()).isEqualTo("DELIVERED");
        assertThat(delivered.at("/attempts/0/status").asInt()).isEqualTo(500);
        assertThat(delivered.at("/attempts/1/status").asInt()).isEqualTo(204);
        assertThat(deliveries.toString()).doesNotContain(SECRET);

        assertThat(received).noneMatch(r -> r.path().equals("/quiet")); // it wants "hung" only
        assertThat(http.get("/api/v1/webhooks/" + quiet + "/deliveries", admin).json()).isEmpty();

        assertThat(http.send("DELETE", "/api/v1/webhooks/" + id, admin, null).status()).isEqualTo(204);
        assertThat(http.get("/api/v1/webhooks", admin).body()).doesNotContain(id);
        assertThat(http.get("/api/v1/webhooks/" + id + "/deliveries", admin).status()).isEqualTo(404);
        http.send("DELETE", "/api/v1/deployments/hooked", admin, null);
    }

    /** The receipts of the first delivery that came more than once (the refused one). */
    private static List<Received> retried() {
        Received refused = received.stream().filter(r -> r.path().equals("/flaky")).findFirst().orElse(null);
        if (refused == null) return List.of();
        return received.stream().filter(r -> r.path().equals("/flaky") && r.delivery().equals(refused.delivery())).toList();
    }

    private static String hmac(String secret, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(body));
    }
}
