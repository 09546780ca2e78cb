package dev.lattice.gateway.artefacts;

import dev.lattice.gateway.http.Forwarding;
import dev.lattice.api.repository.Endpoint;
import dev.lattice.api.repository.Endpoints;
import dev.lattice.api.repository.Sha256;
import dev.lattice.core.Json;
import dev.lattice.core.LatticeException;
import dev.lattice.core.Principal;
import dev.lattice.core.Problem;
import dev.lattice.core.Role;
import dev.lattice.gateway.http.Access;
import dev.lattice.gateway.http.Route;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/v1/artefacts} (the raw bytes) and {@code GET /api/v1/artefacts/{sha256}}:
 * the repository's own routes, behind the gateway's token and role check. Bodies stream straight
 * through in both directions, so the gateway's JSON body limit does not apply: the repository's
 * own limit does (it answers 413). An upload carries the caller's token, which the repository
 * checks again. The repository is found through its advertised endpoint; 503 while there is none.
 */
public final class ArtefactRoutes {
    private static final Logger log = LoggerFactory.getLogger(ArtefactRoutes.class);
    static final Access ACCESS = Access.roles(Role.ADMIN, Role.DATA_SCIENTIST, Role.APP_DEVELOPER);
    // Until the repository's answer begins; an upload's own time is not bounded (it may be large).
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(30);
    private static final List<String> PASSED_HEADERS = List.of("ETag", "Cache-Control");

    private final Endpoints endpoints;
    private final HttpClient http;

    public ArtefactRoutes(Endpoints endpoints, HttpClient http) {
        this.endpoints = endpoints;
        this.http = http;
    }

    /** Routes that find the repository through {@code endpoints}. */
    public static ArtefactRoutes of(Endpoints endpoints) {
        return new ArtefactRoutes(endpoints,
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build());
    }

    public List<Route> routes() {
        return List.of(
                Route.post("/api/v1/artefacts", ACCESS, this::upload).consuming("application/octet-stream"),
                Route.get("/api/v1/artefacts/{sha256}", ACCESS, this::download));
    }

    void upload(Context ctx, Principal principal) throws IOException {
        String base = endpoints.repository();
        long length = ctx.req().getContentLengthLong();
        InputStream body = ctx.req().getInputStream();
        HttpRequest.BodyPublisher publisher = length == 0 ? HttpRequest.BodyPublishers.noBody()
                : length > 0 ? HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> body), length)
                : HttpRequest.BodyPublishers.ofInputStream(() -> body);
        String type = ctx.contentType();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/artefacts"))
                .POST(publisher)
                .header("Content-Type", type == null || type.isBlank() ? "application/octet-stream" : type)
                .header("Authorization", "Bearer " + Forwarding.credential(ctx)) // an API key's assertion, never the key
                // The repository refuses (role, declared size) before the gateway reads a byte of the body.
                .expectContinue(true);
        HttpResponse<InputStream> answer = send(request, base);
        // The repository logs the upload (it knows the user from the token); the gateway only relays.
        if (answer.statusCode() < 300) answer.headers().firstValue("Location").ifPresent(l -> ctx.header("Location", "/api/v1" + l));
        relay(ctx, answer);
    }

    void download(Context ctx, Principal principal) throws IOException {
        String hash = Sha256.require(ctx.pathParam("sha256"));
        String base = endpoints.repository();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/artefacts/" + hash)).GET().timeout(ANSWER_TIMEOUT);
        String ifNoneMatch = ctx.header("If-None-Match");
        if (ifNoneMatch != null) request.header("If-None-Match", ifNoneMatch);
        relay(ctx, send(request, base));
    }

    private HttpResponse<InputStream> send(HttpRequest.Builder request, String base) {
        // The repository's own key (advertised on Kafka, never shown): its port answers platform processes only.
        endpoints.repositoryKey().ifPresent(key -> request.header(Endpoint.KEY_HEADER, key));
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new LatticeException("gateway:repository.unreachable", 503,
                    "the artefact repository at " + base + " did not answer: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw LatticeException.unavailable("gateway:interrupted", "interrupted while waiting for the artefact repository");
        }
    }

    /**
     * Passes the repository's answer on: a failure becomes the same problem rendered by the gateway
     * (so its {@code instance} is the public path); anything else streams through byte for byte,
     * bypassing compression so that Content-Length stays the artefact's size.
     */
    private static void relay(Context ctx, HttpResponse<InputStream> answer) throws IOException {
        try (InputStream in = answer.body()) {
            if (answer.statusCode() >= 400) throw problemOf(answer.statusCode(), in.readNBytes(64 * 1024));
            ctx.status(answer.statusCode());
            answer.headers().firstValue("Content-Type").ifPresent(ctx::contentType);
            answer.headers().firstValueAsLong("Content-Length").ifPresent(ctx.res()::setContentLengthLong);
            for (String name : PASSED_HEADERS) answer.headers().firstValue(name).ifPresent(v -> ctx.header(name, v));
            OutputStream out = ctx.res().getOutputStream();
            in.transferTo(out);
            out.flush();
        } catch (org.eclipse.jetty.io.EofException e) {
            // The caller went away mid-transfer: nothing to answer, nothing for an operator to do.
            log.debug("{} {} cut off by the client: {}", ctx.method(), ctx.path(), e.toString());
        }
    }

    private static LatticeException problemOf(int status, byte[] body) {
        try {
            Problem problem = Json.read(body, Problem.class);
            if (problem.code() != null && problem.detail() != null) return LatticeException.fromProblem(problem);
        } catch (RuntimeException notAProblem) {
            // not the repository's answer (a proxy's page?): say so below
        }
        return new LatticeException("gateway:repository.failed", 502, "the artefact repository answered HTTP " + status);
    }
}
