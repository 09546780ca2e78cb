package dev.lattice.gateway.users;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lattice.gateway.TestHttp;
import dev.lattice.gateway.TestHttp.Response;
import dev.lattice.gateway.TestPlatform;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** API keys (API.md "Operating it"): scoped to the caller's role, expiring, refused within 1 s of their deletion, never shown twice. */
class ApiKeysIT {
    private static TestHttp http;
    private static String admin;
    private static String scientist;

    @BeforeAll
    static void start() {
        http = TestPlatform.http();
        admin = http.login("admin", TestPlatform.ADMIN_PASSWORD);
        http.ensureUser(admin, "keys-scientist", "scientist-password", "data-scientist");
        http.ensureUser(admin, "keys-other", "other-password", "data-scientist");
        scientist = http.login("keys-scientist", "scientist-password");
    }

    private static JsonNode make(String token, String body) {
        Response r = http.post("/api/v1/api-keys", token, body);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json();
    }

    @Test
    void aKeyActsAsItsOwnerWithTheOwnersRoleAndNoMore() {
        JsonNode made = make(scientist, "{\"name\":\"ci\"}");
        String key = made.get("key").asText();
        assertThat(key).startsWith("ltk_" + made.get("id").asText() + "_");
        assertThat(made.get("role").asText()).isEqualTo("data-scientist");
        Instant expires = Instant.parse(made.get("expiresAt").asText());
        assertThat(expires).isBetween(Instant.now().plus(Duration.ofDays(89)), Instant.now().plus(Duration.ofDays(91)));

        Response me = http.get("/api/v1/me", key);
        assertThat(me.json().get("username").asText()).isEqualTo("keys-scientist");
        assertThat(me.json().get("role").asText()).isEqualTo("data-scientist");
        assertThat(http.get("/api/v1/models", key).status()).isEqualTo(200);
        assertThat(http.post("/api/v1/users", key, "{\"username\":\"by-key\",\"password\":\"by-key-password\",\"role\":\"admin\"}").status())
                .isEqualTo(403);
        // A key cannot mint keys (a leaked one would outlive its expiry) nor list or delete them.
        assertThat(http.post("/api/v1/api-keys", key, "{\"name\":\"child\"}").status()).isEqualTo(403);
        assertThat(http.get("/api/v1/api-keys", key).status()).isEqualTo(403);
    }

    @Test
    void aKeyHasAtMostItsMakersRoleButAnAdminMayChooseAny() {
        Response higher = http.post("/api/v1/api-keys", scientist, "{\"name\":\"escalate\",\"role\":\"admin\"}");
        assertThat(higher.status()).as(higher.body()).isEqualTo(403);
        assertThat(higher.body()).contains("role");
        assertThat(http.post("/api/v1/api-keys", scientist, "{\"name\":\"sideways\",\"role\":\"app-developer\"}").status()).isEqualTo(403);

        String endUserKey = make(admin, "{\"name\":\"kiosk\",\"role\":\"end-user\"}").get("key").asText();
        assertThat(http.get("/api/v1/me", endUserKey).json().get("role").asText()).isEqualTo("end-user");
        assertThat(http.get("/api/v1/users", endUserKey).status()).isEqualTo(403);
    }

    @Test
    void badRequestsNameTheField() {
        String past = Instant.now().minusSeconds(60).toString();
        String tooFar = Instant.now().plus(Duration.ofDays(400)).toString();
        assertProblem(http.post("/api/v1/api-keys", scientist, "{\"name\":\"old\",\"expiresAt\":\"" + past + "\"}"), 400, "expiresAt");
        assertProblem(http.post("/api/v1/api-keys", scientist, "{\"name\":\"eternal\",\"expiresAt\":\"" + tooFar + "\"}"), 400, "expiresAt");
        assertProblem(http.post("/api/v1/api-keys", scientist, "{\"name\":\"Bad Name\"}"), 400, "name");
        assertProblem(http.post("/api/v1/api-keys", scientist, "{}"), 400, "name");
        assertProblem(http.post("/api/v1/api-keys", null, "{\"name\":\"anon\"}"), 401, "token");
    }

    @Test
    void listsShowOwnKeysToUsersAndAllToAdminsButNeverTheKey() {
        JsonNode mine = make(scientist, "{\"name\":\"listed\"}");
        String others = make(http.login("keys-other", "other-password"), "{\"name\":\"not-yours\"}").get("id").asText();
        Response list = http.get("/api/v1/api-keys", scientist);
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.body()).contains(mine.get("id").asText()).doesNotContain(others)
                .doesNotContain("ltk_").doesNotContain("sha256").doesNotContain(mine.get("key").asText());
        assertThat(http.get("/api/v1/api-keys", admin).body()).contains(mine.get("id").asText(), others).doesNotContain("ltk_");
        // Another user's key is "not found" to a non-admin, and stays usable.
        assertThat(http.send("DELETE", "/api/v1/api-keys/" + others, scientist, null).status()).isEqualTo(404);
        assertThat(http.send("DELETE", "/api/v1/api-keys/nonexistent", scientist, null).status()).isEqualTo(404);
    }

    @Test
    void aDeletedKeyIsRefusedWithinASecond() {
        JsonNode made = make(scientist, "{\"name\":\"revoked\"}");
        String key = made.get("key").asText();
        assertThat(http.get("/api/v1/me", key).status()).isEqualTo(200);
        // The same id with another secret, and a key of no id, are refused.
        assertThat(http.get("/api/v1/me", key.substring(0, key.length() - 4) + "AAAA").status()).isEqualTo(401);
        assertThat(http.get("/api/v1/me", "ltk_nothing_here").status()).isEqualTo(401);

        // The 204 comes once this gateway's view has dropped the key: refused on the very next request.
        assertThat(http.send("DELETE", "/api/v1/api-keys/" + made.get("id").asText(), scientist, null).status()).isEqualTo(204);
        assertProblem(http.get("/api/v1/me", key), 401, "deleted");
    }

    @Test
    void anExpiredKeyIsRefused() throws InterruptedException {
        Instant expires = Instant.now().plusSeconds(2).truncatedTo(ChronoUnit.MILLIS);
        String key = make(scientist, "{\"name\":\"short\",\"expiresAt\":\"" + expires + "\"}").get("key").asText();
        assertThat(http.get("/api/v1/me", key).status()).isEqualTo(200);
        Thread.sleep(Math.max(0, Duration.between(Instant.now(), expires).toMillis()) + 200);
        Response late = http.get("/api/v1/me", key);
        assertProblem(late, 401, "expired");
    }

    private static void assertProblem(Response r, int status, String detailPart) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json().get("detail").asText()).contains(detailPart);
    }
}
