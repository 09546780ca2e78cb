package dev.lattice.gateway.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lattice.gateway.TestHttp;
import dev.lattice.gateway.TestHttp.Response;
import dev.lattice.gateway.TestPlatform;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The audit log (API.md "Operating it"): every request that changes state, refused ones included, and never a secret. */
class AuditIT {
    private static TestHttp http;
    private static String admin;

    @BeforeAll
    static void start() {
        http = TestPlatform.http();
        admin = http.login("admin", TestPlatform.ADMIN_PASSWORD);
    }

    @Test
    void writesAndRefusalsAreRecordedWithWhoWhatAndTheAnswer() {
        Instant since = Instant.now().minusSeconds(1);
        Response made = http.post("/api/v1/sensor-types", admin,
                "{\"name\":\"audited-probe\",\"description\":\"t\",\"fields\":[{\"name\":\"v\",\"type\":\"number\"}]}");
        assertThat(made.status()).as(made.body()).isIn(201, 409);
        http.ensureUser(admin, "audit-viewer", "viewer-password", "end-user");
        String viewer = http.login("audit-viewer", "viewer-password");
        assertThat(http.post("/api/v1/users", viewer, "{\"username\":\"x\",\"password\":\"xxxxxxxxxx\",\"role\":\"admin\"}").status()).isEqualTo(403);
        assertThat(http.post("/api/v1/sensor-types", null, "{\"name\":\"anonymous-try\"}").status()).isEqualTo(401);
        assertThat(http.post("/api/v1/auth/login", null, "{\"username\":\"mallory\",\"password\":\"hunter2-not-logged\"}").status()).isEqualTo(401);

        JsonNode created = await("the sensor type's creation", since, e -> e.get("path").asText().equals("/api/v1/sensor-types")
                && e.get("user").asText().equals("admin"));
        assertThat(created.get("method").asText()).isEqualTo("POST");
        assertThat(created.get("role").asText()).isEqualTo("admin");
        assertThat(created.get("object").asText()).isEqualTo("sensor-types");
        assertThat(created.get("status").asInt()).isEqualTo(made.status());
        assertThat(created.get("remote").asText()).isEqualTo("127.0.0.1");
        assertThat(created.get("ts").asText()).isNotBlank();

        JsonNode forbidden = await("the end user's refused write", since, e -> e.get("user").asText().equals("audit-viewer"));
        assertThat(forbidden.get("status").asInt()).isEqualTo(403);
        assertThat(forbidden.get("path").asText()).isEqualTo("/api/v1/users");
        assertThat(forbidden.get("role").asText()).isEqualTo("end-user");
        JsonNode anonymous = await("the write without a token", since, e -> e.get("status").asInt() == 401
                && e.get("path").asText().equals("/api/v1/sensor-types"));
        assertThat(anonymous.get("user").asText()).isEqualTo("-");
        JsonNode login = await("the failed login", since, e -> e.get("user").asText().equals("mallory"));
        assertThat(login.get("status").asInt()).isEqualTo(401);
    }

    @Test
    void anApiKeyIsNamedAndNoSecretIsEverWritten() {
        Instant since = Instant.now().minusSeconds(1);
        JsonNode key = http.post("/api/v1/api-keys", admin, "{\"name\":\"audit-key\"}").json();
        String secret = key.get("key").asText();
        assertThat(http.post("/api/v1/sensor-types", secret,
                "{\"name\":\"by-key-probe\",\"description\":\"t\",\"fields\":[{\"name\":\"v\",\"type\":\"number\"}]}").status()).isIn(201, 409);
        JsonNode byKey = await("the write made with an API key", since, e -> e.get("user").asText().equals("key:" + key.get("id").asText()));
        assertThat(byKey.get("role").asText()).isEqualTo("admin");

        String everything = http.get("/api/v1/audit?limit=1000", admin).body();
        assertThat(everything).doesNotContain(secret).doesNotContain(admin).doesNotContain("hunter2").doesNotContain(TestPlatform.ADMIN_PASSWORD)
                .doesNotContain("ltk_").doesNotContain("ltd_").doesNotContain("lta_").doesNotContain("eyJ");
    }

    @Test
    void readsAndDataAreNotAuditedAndTheLogIsForAdminsOnly() {
        Instant since = Instant.now();
        http.get("/api/v1/sensor-types", admin);
        http.post("/api/v1/sensor-instances/no-such-sensor/readings", admin, "{\"values\":{\"v\":1}}");
        http.post("/api/v1/models/no-such-model/predict", admin, "{}");
        // A write after them: once it is in the log, they would be too.
        http.post("/api/v1/users", null, "{}");
        await("the marker write", since, e -> e.get("path").asText().equals("/api/v1/users") && e.get("status").asInt() == 401);
        for (JsonNode e : entries("since=" + enc(since.toString()))) {
            assertThat(e.get("method").asText()).isNotEqualTo("GET");
            assertThat(e.get("path").asText()).doesNotEndWith("/readings").doesNotEndWith("/predict");
        }
        http.ensureUser(admin, "audit-viewer", "viewer-password", "end-user");
        assertThat(http.get("/api/v1/audit", http.login("audit-viewer", "viewer-password")).status()).isEqualTo(403);
        assertThat(http.get("/api/v1/audit?since=yesterday", admin).status()).isEqualTo(400);
        assertThat(http.get("/api/v1/audit?limit=0", admin).status()).isEqualTo(400);
    }

    @Test
    void filtersByUserTimeAndCountNewestFirst() {
        Instant since = Instant.now();
        for (int i = 0; i < 3; i++) http.post("/api/v1/auth/login", null, "{\"username\":\"filter-user\",\"password\":\"wrong-password-" + i + "\"}");
        await("three failed logins", since, e -> e.get("user").asText().equals("filter-user"));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        List<JsonNode> mine;
        do {
            mine = entries("user=filter-user&since=" + enc(since.toString()));
        } while (mine.size() < 3 && System.nanoTime() < deadline);
        assertThat(mine).hasSize(3).allMatch(e -> e.get("user").asText().equals("filter-user"));
        for (int i = 1; i < mine.size(); i++) {
            assertThat(Instant.parse(mine.get(i - 1).get("ts").asText())).isAfterOrEqualTo(Instant.parse(mine.get(i).get("ts").asText()));
        }
        assertThat(entries("user=filter-user&limit=2")).hasSize(2);
        assertThat(entries("user=filter-user&since=" + enc(Instant.now().plusSeconds(60).toString()))).isEmpty();
    }

    private static JsonNode await(String what, Instant since, Predicate<JsonNode> match) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            for (JsonNode e : entries("limit=1000&since=" + enc(since.toString()))) {
                if (match.test(e)) return e;
            }
            sleep(50);
        }
        throw new AssertionError("no audit entry for " + what + " within 10 s: " + http.get("/api/v1/audit?limit=20", admin).body());
    }

    private static List<JsonNode> entries(String query) {
        Response r = http.get("/api/v1/audit?" + query, admin);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        List<JsonNode> out = new ArrayList<>();
        r.json().forEach(out::add);
        return out;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
