package dev.lattice.gateway.artefacts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lattice.api.repository.Sha256;
import dev.lattice.core.Json;
import dev.lattice.gateway.TestHttp;
import dev.lattice.gateway.TestPlatform;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Artefacts through the gateway, streamed to and from the real repository service of {@link TestPlatform}. */
class ArtefactsIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static TestHttp http;
    private static String scientist;
    private static String endUser;

    @BeforeAll
    static void users() {
        http = TestPlatform.http();
        String admin = http.login("admin", TestPlatform.ADMIN_PASSWORD);
        http.ensureUser(admin, "artefacts-scientist", "password-scientist", "data-scientist");
        http.ensureUser(admin, "artefacts-user", "password-user", "end-user");
        scientist = http.login("artefacts-scientist", "password-scientist");
        endUser = http.login("artefacts-user", "password-user");
    }

    @Test
    void anArtefactLargerThanTheJsonLimitGoesUpAndComesBackByteForByte() throws Exception {
        // Twice the gateway's 1 MiB JSON limit: the artefact routes stream, under the repository's limit.
        byte[] content = random(2 * 1024 * 1024 + 17, 1);
        String hash = sha256(content);

        HttpResponse<byte[]> up = send(upload(HttpRequest.BodyPublishers.ofByteArray(content), scientist));
        HttpResponse<byte[]> down = send(get(hash, scientist).build());
        HttpResponse<byte[]> gzipped = send(get(hash, scientist).header("Accept-Encoding", "gzip").build());

        assertThat(up.statusCode()).as(new String(up.body())).isEqualTo(201);
        JsonNode stored = Json.read(up.body(), JsonNode.class);
        assertThat(stored.get("sha256").asText()).isEqualTo(hash);
        assertThat(stored.get("size").asLong()).isEqualTo(content.length);
        assertThat(up.headers().firstValue("Location")).hasValue("/api/v1/artefacts/" + hash);
        assertThat(down.statusCode()).isEqualTo(200);
        assertThat(down.body()).isEqualTo(content);
        assertThat(down.headers().firstValue("Content-Length")).hasValue(Integer.toString(content.length));
        assertThat(down.headers().firstValue("ETag")).hasValue("\"" + hash + "\"");
        // Passed through as stored, whatever the client accepts.
        assertThat(gzipped.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(gzipped.body()).isEqualTo(content);
    }

    @Test
    void aChunkedUploadIsStreamedToo() throws Exception {
        byte[] content = random(300_000, 2);

        HttpResponse<byte[]> up = send(upload(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(content)), scientist));

        assertThat(up.statusCode()).as(new String(up.body())).isIn(200, 201);
        assertThat(Json.read(up.body(), JsonNode.class).get("sha256").asText()).isEqualTo(sha256(content));
    }

    @Test
    void anUploadOverTheRepositoryLimitIs413() throws Exception {
        byte[] content = random((int) TestPlatform.ARTEFACT_MAX_BYTES + 1, 3);

        HttpResponse<byte[]> declared = send(upload(HttpRequest.BodyPublishers.ofByteArray(content), scientist));
        HttpResponse<byte[]> chunked = send(upload(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(content)), scientist));

        assertProblem(declared, 413, "/api/v1/artefacts");
        assertProblem(chunked, 413, "/api/v1/artefacts");
        assertProblem(send(get(sha256(content), scientist).build()), 404, "/api/v1/artefacts/" + sha256(content));
    }

    @Test
    void otherRolesAndUnknownOrMalformedHashesAreProblems() throws Exception {
        byte[] content = random(1000, 4);

        assertProblem(send(upload(HttpRequest.BodyPublishers.ofByteArray(content), endUser)), 403, "/api/v1/artefacts");
        assertProblem(send(upload(HttpRequest.BodyPublishers.ofByteArray(content), null)), 401, "/api/v1/artefacts");
        assertProblem(send(get(sha256(content), endUser).build()), 403, "/api/v1/artefacts/" + sha256(content));
        assertProblem(send(get(sha256(content), scientist).build()), 404, "/api/v1/artefacts/" + sha256(content));
        assertProblem(send(get("ABC", scientist).build()), 400, "/api/v1/artefacts/ABC");
    }

    private static HttpRequest upload(HttpRequest.BodyPublisher body, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(http.base() + "/api/v1/artefacts")).POST(body)
                .header("Content-Type", "application/octet-stream");
        if (token != null) b.header("Authorization", "Bearer " + token);
        return b.build();
    }

    private static HttpRequest.Builder get(String hash, String token) {
        return HttpRequest.newBuilder(URI.create(http.base() + "/api/v1/artefacts/" + hash)).header("Authorization", "Bearer " + token);
    }

    private static HttpResponse<byte[]> send(HttpRequest request) throws Exception {
        return HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    private static void assertProblem(HttpResponse<byte[]> response, int status, String path) {
        assertThat(response.statusCode()).as(new String(response.body())).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        JsonNode problem = Json.read(response.body(), JsonNode.class);
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("detail").asText()).isNotBlank();
        assertThat(problem.get("instance").asText()).isEqualTo(path);
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static String sha256(byte[] content) {
        var digest = Sha256.digest();
        digest.update(content);
        return Sha256.hex(digest);
    }
}
