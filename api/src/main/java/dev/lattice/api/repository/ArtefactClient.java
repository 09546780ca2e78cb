package dev.lattice.api.repository;

import dev.lattice.core.Json;
import dev.lattice.core.LatticeException;
import dev.lattice.core.Problem;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/**
 * Fetches artefacts from the repository by hash, verified, and uploads them: what agents and
 * services use (the JDK's HTTP client only). A fetched file is complete and correct or absent,
 * never half there. Thread-safe.
 *
 * <pre>{@code
 * ArtefactClient artefacts = new ArtefactClient();
 * Stored s = artefacts.upload(endpoints.repository(), Path.of("model.onnx"), token);
 * Path local = artefacts.fetch(endpoints.repository(), s.sha256(), cache.resolve(s.sha256()));
 * }</pre>
 * Every request carries the repository's key ({@link Endpoint#KEY_HEADER}): by default the one
 * advertised with that base URL in an {@link Endpoints} this process follows, so callers pass
 * only the URL, which is safe to print.
 * Failures are {@link LatticeException}s: the repository's own problem (401, 403, 404, 413 ...),
 * 503 when it cannot be reached, 502 when the bytes it served do not have the requested hash;
 * {@link UncheckedIOException} when a transfer breaks off or a local file cannot be written.
 */
public final class ArtefactClient {
    private static final int BUFFER = 64 * 1024;
    private final HttpClient http;
    private final Function<String, Optional<String>> keys;

    public ArtefactClient() {
        this(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build());
    }

    public ArtefactClient(HttpClient http) {
        this(http, Endpoints::keyOf);
    }

    /** @param keys the key a base URL wants, if any */
    public ArtefactClient(HttpClient http, Function<String, Optional<String>> keys) {
        this.http = http;
        this.keys = keys;
    }

    /**
     * Makes {@code target} hold the artefact {@code sha256}: an existing file with that hash is kept
     * as it is (a cache hit, nothing downloaded); otherwise the artefact is downloaded to a temporary
     * file beside {@code target} while hashing, checked, and renamed into place atomically. A wrong
     * hash deletes the download and throws; {@code target} is then left as it was.
     *
     * @return {@code target}
     */
    public Path fetch(String baseUrl, String sha256, Path target) {
        return fetch(baseUrl, "/artefacts/", sha256, target);
    }

    /** {@link #fetch} from the staging area: an upload a service checks before it is promoted. */
    public Path fetchStaged(String baseUrl, String sha256, Path target) {
        return fetch(baseUrl, "/staging/", sha256, target);
    }

    private Path fetch(String baseUrl, String area, String sha256, Path target) {
        Sha256.require(sha256);
        Path parent = target.toAbsolutePath().getParent();
        if (Files.isRegularFile(target) && sha256.equals(hashOf(target))) return target;
        Path part = null;
        try {
            Files.createDirectories(parent);
            part = Files.createTempFile(parent, "." + target.getFileName() + "-", ".part");
            HttpResponse<InputStream> response = send(HttpRequest.newBuilder(URI.create(base(baseUrl) + area + sha256)).GET(), baseUrl);
            String actual;
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) throw failure(response.statusCode(), body, "fetching " + sha256);
                actual = writeHashed(body, part);
            }
            if (!sha256.equals(actual)) {
                throw new LatticeException("repository:artefact.corrupt", 502, "artefact " + sha256 + " from " + baseUrl
                        + " has the hash " + actual + ": refused (damaged in store or in transit)");
            }
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot fetch artefact " + sha256 + " from " + baseUrl + " to " + target, e);
        } finally {
            if (part != null) deleteQuietly(part);
        }
    }

    /** Uploads {@code file} (its length is sent first, so a file over the limit is refused before its bytes). */
    public Stored upload(String baseUrl, Path file, String bearerToken) {
        return upload(baseUrl, "/artefacts", file, bearerToken);
    }

    /** Uploads {@code file} to the staging area, where it waits for a service to check and promote it. */
    public Stored stage(String baseUrl, Path file, String bearerToken) {
        return upload(baseUrl, "/staging", file, bearerToken);
    }

    private Stored upload(String baseUrl, String area, Path file, String bearerToken) {
        try {
            return upload(baseUrl, area, HttpRequest.BodyPublishers.ofFile(file), bearerToken);
        } catch (FileNotFoundException e) {
            throw new UncheckedIOException("cannot upload " + file + ": no such file", e);
        }
    }

    /** Uploads everything {@code content} holds, in chunks of unknown total length; the caller closes it. */
    public Stored upload(String baseUrl, InputStream content, String bearerToken) {
        return upload(baseUrl, "/artefacts", HttpRequest.BodyPublishers.ofInputStream(() -> content), bearerToken);
    }

    private Stored upload(String baseUrl, String area, HttpRequest.BodyPublisher body, String bearerToken) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base(baseUrl) + area))
                .POST(body)
                .header("Content-Type", "application/octet-stream")
                // The server answers a refusal (no token, wrong role, too large) before the body is sent.
                .expectContinue(true);
        if (bearerToken != null) request.header("Authorization", "Bearer " + bearerToken);
        HttpResponse<InputStream> response = send(request, baseUrl);
        try (InputStream answer = response.body()) {
            if (response.statusCode() != 200 && response.statusCode() != 201) {
                throw failure(response.statusCode(), answer, "uploading an artefact");
            }
            return Json.read(answer.readAllBytes(), Stored.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the answer of " + baseUrl + " to an upload", e);
        }
    }

    private HttpResponse<InputStream> send(HttpRequest.Builder request, String baseUrl) {
        keys.apply(base(baseUrl)).ifPresent(key -> request.header(Endpoint.KEY_HEADER, key));
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new LatticeException("repository:unreachable", 503,
                    "the artefact repository at " + baseUrl + " cannot be reached: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LatticeException("repository:interrupted", 503, "interrupted while talking to " + baseUrl, e);
        }
    }

    /** Streams {@code in} to {@code part}, syncs it to disk, and returns the SHA-256 of what was written. */
    private static String writeHashed(InputStream in, Path part) throws IOException {
        MessageDigest digest = Sha256.digest();
        byte[] buffer = new byte[BUFFER];
        try (FileChannel channel = FileChannel.open(part, StandardOpenOption.WRITE);
             OutputStream out = Channels.newOutputStream(channel)) {
            int n;
            while ((n = in.read(buffer)) != -1) {
                digest.update(buffer, 0, n);
                out.write(buffer, 0, n);
            }
            channel.force(true);
        }
        return Sha256.hex(digest);
    }

    /** The SHA-256 of a local file. */
    public static String hashOf(Path file) {
        MessageDigest digest = Sha256.digest();
        byte[] buffer = new byte[BUFFER];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buffer)) != -1) digest.update(buffer, 0, n);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return Sha256.hex(digest);
    }

    /** The repository's problem as a {@link LatticeException}, or a plain one if it sent none. */
    private static LatticeException failure(int status, InputStream body, String doing) throws IOException {
        byte[] bytes = body.readNBytes(64 * 1024);
        try {
            Problem problem = Json.read(bytes, Problem.class);
            if (problem.code() != null && problem.detail() != null) return LatticeException.fromProblem(problem);
        } catch (RuntimeException notAProblem) {
            // fall through: some proxy's page, not the repository's answer
        }
        return new LatticeException("repository:http." + status, status, doing + " failed with HTTP " + status);
    }

    private static String base(String baseUrl) {
        return baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a stray .part file is harmless and named as such
        }
    }
}
