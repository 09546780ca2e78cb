package dev.lattice.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lattice.api.auth.SigningKey;
import dev.lattice.api.repository.ArtefactClient;
import dev.lattice.api.repository.Endpoint;
import dev.lattice.api.repository.Endpoints;
import dev.lattice.api.repository.Sha256;
import dev.lattice.api.repository.Stored;
import dev.lattice.auth.tokens.TokenIssuer;
import dev.lattice.bus.Bus;
import dev.lattice.bus.TestKafka;
import dev.lattice.core.Json;
import dev.lattice.core.LatticeException;
import dev.lattice.core.Role;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The repository as it runs: a real broker, signing keys published as auth publishes them, the
 * service on a free port, and plain HTTP and {@link ArtefactClient} against it.
 */
class RepositoryIT {
    private static final long LIMIT = 256 * 1024;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static Bus tokensBus;
    private static TokenIssuer issuer;
    private static RepositoryMain repository;
    private static Path storeDir;
    private static String base;
    /** Followed for the whole class: it is where {@link ArtefactClient} finds the repository's key. */
    private static Endpoints endpoints;
    private static String key;

    @BeforeAll
    static void start() throws IOException {
        Clock clock = Clock.systemUTC();
        tokensBus = TestKafka.bus("repository-test");
        issuer = TokenIssuer.start(tokensBus.own(SigningKey.KIND, SigningKey.class, Duration.ofSeconds(30)), Duration.ofHours(1), clock);
        storeDir = Files.createTempDirectory("lattice-repository-it");
        repository = RepositoryMain.start(new RepositoryConfig(TestKafka.config(RepositoryMain.SERVICE), storeDir,
                "127.0.0.1", 0, null, LIMIT), clock);
        base = repository.url();
        endpoints = Endpoints.follow(tokensBus, Duration.ofSeconds(30));
        key = endpoints.repositoryKey().orElseThrow();
    }

    @AfterAll
    static void stop() {
        repository.close();
        tokensBus.close();
    }

    private static String token(Role role) {
        return issuer.issue("user-" + role.wireName(), role).token();
    }

    @Test
    void anUploadWithAWriterTokenAnswers201WithTheHashAnd200TheSecondTime() throws Exception {
        byte[] content = random(100_000, 1);

        var first = post(content, token(Role.DATA_SCIENTIST));
        var again = post(content, token(Role.APP_DEVELOPER));

        assertThat(first.statusCode()).isEqualTo(201);
        JsonNode body = Json.read(first.body(), JsonNode.class);
        assertThat(body.get("sha256").asText()).isEqualTo(sha256(content));
        assertThat(body.get("size").asLong()).isEqualTo(content.length);
        assertThat(first.headers().firstValue("ETag")).hasValue("\"" + sha256(content) + "\"");
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(Json.read(again.body(), JsonNode.class).get("sha256").asText()).isEqualTo(sha256(content));
    }

    @Test
    void uploadsWithoutAWriterTokenAreRefusedAndStoreNothing() throws Exception {
        byte[] content = random(1000, 2);
        var rogue = new com.nimbusds.jose.jwk.gen.ECKeyGenerator(com.nimbusds.jose.jwk.Curve.P_256).keyID("rogue").generate();
        var forged = new com.nimbusds.jwt.SignedJWT(new com.nimbusds.jose.JWSHeader.Builder(com.nimbusds.jose.JWSAlgorithm.ES256)
                .keyID("rogue").build(), new com.nimbusds.jwt.JWTClaimsSet.Builder().issuer("lattice").subject("eve")
                .claim("role", "admin").expirationTime(new java.util.Date(System.currentTimeMillis() + 600_000)).build());
        forged.sign(new com.nimbusds.jose.crypto.ECDSASigner(rogue));

        assertProblem(post(content, null), 401);
        assertProblem(post(content, "not.a.token"), 401);
        assertProblem(post(content, forged.serialize()), 401);
        assertProblem(post(content, token(Role.END_USER)), 403);
        assertProblem(post(content, token(Role.PLATFORM_CONFIGURER)), 403);
        assertThat(storedFile(sha256(content))).doesNotExist();
    }

    @Test
    void anArtefactIsServedByItsHashWithLengthAndETag() throws Exception {
        byte[] content = random(70_000, 3);
        assertThat(post(content, token(Role.ADMIN)).statusCode()).isEqualTo(201);
        String hash = sha256(content);

        var get = HTTP.send(keyed(base + "/artefacts/" + hash).build(), HttpResponse.BodyHandlers.ofByteArray());
        var head = HTTP.send(keyed(base + "/artefacts/" + hash).HEAD().build(), HttpResponse.BodyHandlers.ofByteArray());

        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.body()).isEqualTo(content);
        assertThat(get.headers().firstValue("Content-Length")).hasValue(Integer.toString(content.length));
        assertThat(get.headers().firstValue("ETag")).hasValue("\"" + hash + "\"");
        assertThat(get.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("Content-Length")).hasValue(Integer.toString(content.length));
        assertThat(head.body()).isEmpty();
        var cached = HTTP.send(keyed(base + "/artefacts/" + hash).header("If-None-Match", "\"" + hash + "\"")
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(cached.statusCode()).isEqualTo(304);
        assertThat(cached.body()).isEmpty();
    }

    @Test
    void nothingAnswersWithoutTheAdvertisedKey(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        byte[] content = random(5_000, 5);
        assertThat(post(content, token(Role.ADMIN)).statusCode()).isEqualTo(201);
        String hash = sha256(content);

        for (String wrong : new String[] {null, "", "wrong", key + "x", key.substring(1), key.toUpperCase()}) {
            for (String path : List.of("/artefacts/" + hash, "/staging/" + hash, "/health", "/nothing-here")) {
                var refused = HTTP.send(withKey(HttpRequest.newBuilder(URI.create(base + path)), wrong).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                assertProblem(refused, 401);
                assertThat(new String(refused.body())).doesNotContain(key);
            }
            var head = HTTP.send(withKey(HttpRequest.newBuilder(URI.create(base + "/artefacts/" + hash)), wrong).HEAD().build(),
                    HttpResponse.BodyHandlers.discarding());
            assertThat(head.statusCode()).isEqualTo(401);
            // An admin's token is no key: the user may upload through the gateway, not here.
            var upload = HTTP.send(withKey(HttpRequest.newBuilder(URI.create(base + "/artefacts")), wrong)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(random(10, 6))).header("Authorization", "Bearer " + token(Role.ADMIN))
                    .build(), HttpResponse.BodyHandlers.ofByteArray());
            assertProblem(upload, 401);
        }
        assertThat(storedFile(sha256(random(10, 6)))).doesNotExist();
        var keyless = new ArtefactClient(HttpClient.newHttpClient(), url -> java.util.Optional.empty());
        assertThatThrownBy(() -> keyless.fetch(base, hash, tmp.resolve("f"))).isInstanceOf(LatticeException.class)
                .extracting("status").isEqualTo(401);
        assertThat(endpoints.get(RepositoryMain.SERVICE).orElseThrow().toString()).doesNotContain(key).contains("key=***");
    }

    @Test
    void anUnknownHashIs404AndAMalformedOne400() throws Exception {
        assertProblem(get("/artefacts/" + sha256(random(10, 99))), 404);
        assertProblem(get("/artefacts/not-a-hash"), 400);
        assertProblem(get("/nothing-here"), 404);
    }

    @Test
    void theClientUploadsAndFetchesVerifiedAndReusesAGoodLocalCopy(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        byte[] content = random(200_000, 4);
        Path source = Files.write(tmp.resolve("model.onnx"), content);
        ArtefactClient client = new ArtefactClient();

        Stored stored = client.upload(base, source, token(Role.DATA_SCIENTIST));
        Path target = client.fetch(base, stored.sha256(), tmp.resolve("cache/model.onnx"));

        assertThat(stored.sha256()).isEqualTo(sha256(content));
        assertThat(Files.readAllBytes(target)).isEqualTo(content);
        // A correct local copy is used as it is: nothing is asked of a repository that is not there.
        assertThat(client.fetch("http://127.0.0.1:9", stored.sha256(), target)).isEqualTo(target);
        assertThat(siblingsOf(target)).containsExactly(target);
    }

    @Test
    void aFileDamagedInTheStoreIsRefusedByFetchAndLeavesNoTarget(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        byte[] content = random(50_000, 5);
        Stored stored = new ArtefactClient().upload(base, new ByteArrayInputStream(content), token(Role.ADMIN));
        Path onDisk = storedFile(stored.sha256());
        byte[] damaged = content.clone();
        damaged[12_345] ^= 1;
        Files.write(onDisk, damaged);
        Path target = tmp.resolve("app.jar");

        assertThatThrownBy(() -> new ArtefactClient().fetch(base, stored.sha256(), target))
                .isInstanceOf(LatticeException.class)
                .hasMessageContaining("refused")
                .extracting("status").isEqualTo(502);
        assertThat(target).doesNotExist();
        assertThat(siblingsOf(target)).isEmpty();
    }

    @Test
    void anUploadOverTheLimitIs413AndStoresNothing() throws Exception {
        byte[] content = random((int) LIMIT + 1, 6);
        byte[] atLimit = java.util.Arrays.copyOf(content, (int) LIMIT);

        // Declared length over the limit: refused before the body.
        assertProblem(post(content, token(Role.ADMIN)), 413);
        // Unknown length (chunked): refused once the limit is passed while streaming.
        assertThatThrownBy(() -> new ArtefactClient().upload(base, new ByteArrayInputStream(content), token(Role.ADMIN)))
                .isInstanceOf(LatticeException.class).extracting("status").isEqualTo(413);
        assertThat(storedFile(sha256(content))).doesNotExist();
        try (Stream<Path> incoming = Files.list(storeDir.resolve("incoming"))) {
            assertThat(incoming).isEmpty();
        }
        assertThat(new ArtefactClient().upload(base, new ByteArrayInputStream(atLimit), token(Role.ADMIN)).size()).isEqualTo(LIMIT);
    }

    @Test
    void theRepositoryAdvertisesItsUrl() {
        assertThat(repository.url()).isEqualTo("http://127.0.0.1:" + repository.port());
        assertThat(endpoints.repository()).isEqualTo(repository.url());
        assertThat(endpoints.get(RepositoryMain.SERVICE).orElseThrow().instance()).isEqualTo("repository.test");
        assertThat(key).hasSize(43);
        assertThat(Endpoints.keyOf(repository.url())).hasValue(key);
        assertThat(Endpoints.keyOf("http://127.0.0.1:1")).isEmpty();
    }

    @Test
    void withNoRepositoryAdvertisedTheLookupIs503() {
        var empty = tokensBus.view(TestKafka.unique("endpoint-none"), Endpoint.class);
        empty.awaitCaughtUp(Duration.ofSeconds(30));

        assertThatThrownBy(() -> new Endpoints(empty).repository()).isInstanceOf(LatticeException.class)
                .hasMessageContaining("no artefact repository")
                .extracting("status").isEqualTo(503);
    }

    private static HttpResponse<byte[]> post(byte[] content, String token) throws Exception {
        HttpRequest.Builder b = keyed(base + "/artefacts")
                .POST(HttpRequest.BodyPublishers.ofByteArray(content)).header("Content-Type", "application/octet-stream");
        if (token != null) b.header("Authorization", "Bearer " + token);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static HttpResponse<byte[]> get(String path) throws Exception {
        return HTTP.send(keyed(base + path).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** A request as a platform process sends it: with the advertised key. */
    private static HttpRequest.Builder keyed(String uri) {
        return withKey(HttpRequest.newBuilder(URI.create(uri)), key);
    }

    private static HttpRequest.Builder withKey(HttpRequest.Builder b, String k) {
        return k == null ? b : b.header(Endpoint.KEY_HEADER, k);
    }

    private static void assertProblem(HttpResponse<byte[]> response, int status) {
        assertThat(response.statusCode()).as(new String(response.body())).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        JsonNode problem = Json.read(response.body(), JsonNode.class);
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("title").asText()).isNotBlank();
        assertThat(problem.get("detail").asText()).isNotBlank();
    }

    private static Path storedFile(String hash) {
        return storeDir.resolve("sha256").resolve(hash.substring(0, 2)).resolve(hash);
    }

    private static List<Path> siblingsOf(Path target) throws IOException {
        try (Stream<Path> files = Files.list(target.getParent())) {
            return files.toList();
        }
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
