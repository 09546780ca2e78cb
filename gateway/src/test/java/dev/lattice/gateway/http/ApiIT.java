package dev.lattice.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lattice.gateway.TestHttp;
import dev.lattice.gateway.TestHttp.Response;
import dev.lattice.gateway.TestPlatform;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The auth, users, me and health routes of API.md, and the problem+json answer to every kind of failure. */
class ApiIT {
    private static TestHttp http;
    private static String admin;

    @BeforeAll
    static void start() {
        http = TestPlatform.http();
        admin = http.login("admin", TestPlatform.ADMIN_PASSWORD);
    }

    private static void assertProblem(Response r, int status, String detailPart) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json().get("status").asInt()).isEqualTo(status);
        assertThat(r.json().get("title").asText()).isNotBlank();
        assertThat(r.json().get("detail").asText()).contains(detailPart);
    }

    @Test
    void eachRoleLogsInAndSeesItselfInMe() {
        for (String role : new String[] {"admin", "data-scientist", "platform-configurer", "app-developer", "end-user"}) {
            String name = "api-" + role;
            Response created = http.post("/api/v1/users", admin,
                    "{\"username\":\"" + name + "\",\"password\":\"secret-" + role + "\",\"role\":\"" + role + "\"}");
            assertThat(created.status()).as(created.body()).isIn(201, 409);
            Response login = http.post("/api/v1/auth/login", null, "{\"username\":\"" + name + "\",\"password\":\"secret-" + role + "\"}");
            assertThat(login.status()).isEqualTo(200);
            assertThat(login.json().get("role").asText()).isEqualTo(role);
            assertThat(login.json().get("expiresAt").asText()).isNotBlank();
            Response me = http.get("/api/v1/me", login.json().get("token").asText());
            assertThat(me.json().get("username").asText()).isEqualTo(name);
            assertThat(me.json().get("role").asText()).isEqualTo(role);
        }
        Response users = http.get("/api/v1/users", admin);
        assertThat(users.body()).contains("\"username\":\"api-end-user\",\"role\":\"end-user\"");
    }

    @Test
    void refusesBadCredentialsAndMissingTokens() {
        assertProblem(http.post("/api/v1/auth/login", null, "{\"username\":\"admin\",\"password\":\"wrong-password\"}"), 401, "wrong password");
        assertProblem(http.post("/api/v1/auth/login", null, "{\"username\":\"nobody\",\"password\":\"whatever1\"}"), 401, "wrong password");
        assertProblem(http.get("/api/v1/me", null), 401, "token");
        assertProblem(http.get("/api/v1/me", "garbage"), 401, "token");
    }

    @Test
    void anEndUserMayNotCreateUsers() {
        http.ensureUser(admin, "api-plain-user", "plain-password", "end-user");
        String user = http.login("api-plain-user", "plain-password");
        assertProblem(http.post("/api/v1/users", user, "{\"username\":\"x-1\",\"password\":\"password-1\",\"role\":\"admin\"}"), 403, "end-user");
        assertProblem(http.get("/api/v1/users", user), 403, "end-user");
    }

    @Test
    void rejectsBadBodiesWithTheFieldNamed() {
        assertProblem(http.post("/api/v1/users", admin, "{\"username\": "), 400, "malformed JSON");
        assertProblem(http.post("/api/v1/users", admin, "[]"), 400, "body");
        assertProblem(http.post("/api/v1/users", admin, ""), 400, "body");
        assertProblem(http.post("/api/v1/users", admin, "{\"username\":\"x-2\",\"password\":\"password-1\",\"role\":\"boss\"}"), 400, "role");
        assertProblem(http.post("/api/v1/users", admin, "{\"username\":\"x-2\",\"password\":\"short\",\"role\":\"admin\"}"), 400, "password");
        assertProblem(http.post("/api/v1/users", admin, "{\"password\":\"password-1\",\"role\":\"admin\"}"), 400, "username");
        assertProblem(http.post("/api/v1/users", admin, "{\"username\":\"x 2\",\"password\":\"password-1\",\"role\":\"admin\"}"), 400, "username");
        assertProblem(http.post("/api/v1/users", admin, "{\"username\":\"x-2\",\"password\":12345678,\"role\":\"admin\"}"), 400, "password");
        assertProblem(http.get("/api/v1/users?limit=lots", admin), 400, "limit");
        assertThat(http.get("/api/v1/users", admin).body()).doesNotContain("\"x-2\"");
    }

    @Test
    void aDuplicateUsernameIsAConflict() {
        String body = "{\"username\":\"api-twice\",\"password\":\"password-1\",\"role\":\"end-user\"}";
        assertThat(http.post("/api/v1/users", admin, body).status()).isIn(201, 409);
        assertProblem(http.post("/api/v1/users", admin, body), 409, "api-twice");
    }

    @Test
    void unknownRoutesAndHugeBodiesGetProblems() {
        assertProblem(http.get("/api/v1/no-such-thing", admin), 404, "/api/v1/no-such-thing");
        assertThat(http.send("DELETE", "/api/v1/me", admin, null).status()).isEqualTo(405);
        String huge = "{\"username\":\"" + "a".repeat(2 * 1024 * 1024) + "\"}";
        assertProblem(http.post("/api/v1/users", admin, huge), 413, "limit");
    }

    /** Sends raw bytes, for requests no well-behaved client would make. */
    private static String raw(String request) throws Exception {
        int port = Integer.parseInt(http.base().substring(http.base().lastIndexOf(':') + 1));
        try (var socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    @Test
    void evenWhatJettyRejectsItselfIsAProblem() throws Exception {
        String badUri = raw("GET /api/v1/%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertThat(badUri).startsWith("HTTP/1.1 400").containsIgnoringCase("content-type: application/problem+json").contains("\"status\":400");
        String hugeHeader = raw("GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(64 * 1024) + "\r\nConnection: close\r\n\r\n");
        assertThat(hugeHeader).startsWith("HTTP/1.1 431").contains("\"status\":431");
    }

    @Test
    void problemsAreUtf8AndDuplicateKeysAreRefused() {
        Response r = http.post("/api/v1/users", admin, "{\"username\":\"a\u00e9\u4e16\",\"password\":\"password-1\",\"role\":\"admin\"}");
        assertProblem(r, 400, "a\u00e9\u4e16");
        assertThat(r.contentType()).containsIgnoringCase("charset=utf-8");
        assertProblem(http.post("/api/v1/users", admin, "{\"username\":\"dup-1\",\"username\":\"dup-2\",\"password\":\"password-1\",\"role\":\"admin\"}"), 400, "username");
    }

    @Test
    void healthIsPublicAndListsEveryService() {
        Response r = http.get("/api/v1/health", null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("status").asText()).as(r.body()).isEqualTo("UP");
        assertThat(r.json().get("services").findValuesAsText("name")).contains("auth", "monitor", "gateway");
    }

    @Test
    void listsArePaged() {
        Response page = http.get("/api/v1/users?limit=1&offset=0", admin);
        assertThat(page.json().size()).isEqualTo(1);
        assertThat(http.get("/api/v1/users?limit=5&offset=100000", admin).json().size()).isZero();
    }
}
