package dev.lattice.repository.http;

import dev.lattice.api.auth.TokenVerifier;
import dev.lattice.api.repository.Endpoint;
import dev.lattice.api.repository.Sha256;
import dev.lattice.api.repository.Stored;
import dev.lattice.core.LatticeException;
import dev.lattice.core.Principal;
import dev.lattice.core.Role;
import dev.lattice.http.Bearer;
import dev.lattice.http.Problems;
import dev.lattice.http.ServiceKey;
import dev.lattice.repository.store.ArtefactStore;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The repository's HTTP API on the internal network:
 * <ul>
 *   <li>{@code POST|PUT /artefacts}, the raw bytes as the body: 201 {@code {"sha256","size","created"}},
 *       200 when the same content was already stored. Needs a token of role admin, data-scientist or
 *       app-developer; 413 over the size limit, checked while streaming.</li>
 *   <li>{@code GET|HEAD /artefacts/{sha256}}: the bytes, with Content-Length and the hash as ETag.</li>
 *   <li>{@code POST /staging} and {@code GET /staging/{sha256}}: the same for the staging area, where
 *       uploads wait until the service that checks them promotes or discards them
 *       ({@link dev.lattice.api.repository.RepositoryCommands}).</li>
 *   <li>{@code GET /health}: 200 once listening.</li>
 * </ul>
 * Every request must carry the repository's key in {@code Lattice-Key} (401 otherwise): the key
 * is advertised with its endpoint on Kafka, which only platform processes read, so a workload or
 * anyone else on the network that knows a hash still gets nothing.
 * Bodies are streamed, never held in memory. Every failure is problem+json.
 */
public final class ArtefactServer {
    private static final Logger log = LoggerFactory.getLogger(ArtefactServer.class);
    private static final String OCTET_STREAM = "application/octet-stream";
    private static final Role[] WRITERS = {Role.ADMIN, Role.DATA_SCIENTIST, Role.APP_DEVELOPER};

    private final ArtefactStore store;
    private final ArtefactStore staging;
    private final TokenVerifier tokens;
    private final long maxBytes;
    private final Javalin app;

    /** @param key what every request must present in {@code Lattice-Key} ({@link ServiceKey#generate()}) */
    public ArtefactServer(ArtefactStore store, ArtefactStore staging, TokenVerifier tokens, long maxBytes, String key) {
        this.store = store;
        this.staging = staging;
        this.tokens = tokens;
        this.maxBytes = maxBytes;
        this.app = Javalin.create(cfg -> {
            dev.lattice.http.ServerDefaults.apply(cfg, "the repository");
            // Javalin applies this only to bodies it buffers; uploads are streamed and counted by the store.
            cfg.http.maxRequestSize = maxBytes;
            // Artefacts are passed through byte for byte: Content-Length must be the stored size.
            cfg.http.disableCompression();
        });
        app.before(ServiceKey.of(key).guard(Endpoint.KEY_HEADER, Set.of()));
        app.post("/artefacts", ctx -> upload(ctx, store));
        app.put("/artefacts", ctx -> upload(ctx, store));
        app.get("/artefacts/{sha256}", ctx -> download(ctx, store, true));
        app.head("/artefacts/{sha256}", ctx -> download(ctx, store, false));
        app.post("/staging", ctx -> upload(ctx, staging));
        app.get("/staging/{sha256}", ctx -> download(ctx, staging, true));
        app.get("/health", ctx -> ctx.json(Map.of("status", "UP")));
        Problems.install(app, "repository", "the repository");
    }

    public ArtefactServer start(String host, int port) {
        app.start(host, port);
        return this;
    }

    public int port() {
        return app.port();
    }

    public void stop() {
        app.stop();
    }

    private void upload(Context ctx, ArtefactStore store) throws IOException {
        // Who and how much come before a single byte is read: a refused upload costs nothing to store.
        Principal principal = authenticate(ctx);
        principal.require(WRITERS);
        String type = ctx.contentType();
        if (type != null && type.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/")) {
            throw new LatticeException("repository:body.multipart", 415,
                    "body: send the artefact's raw bytes (application/octet-stream), not a form");
        }
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxBytes) {
            throw LatticeException.tooLarge("body: " + declared + " bytes is larger than the limit of " + maxBytes + " bytes");
        }
        Stored stored;
        try (InputStream body = ctx.req().getInputStream()) {
            stored = store.put(body, maxBytes);
        }
        if (stored.created()) log.info("artefact {} stored ({} bytes) for {}", stored.sha256(), stored.size(), principal.name());
        ctx.status(stored.created() ? 201 : 200)
                .header("Location", (store == staging ? "/staging/" : "/artefacts/") + stored.sha256())
                .header("ETag", etag(stored.sha256()))
                .json(stored);
    }

    private void download(Context ctx, ArtefactStore store, boolean withBody) throws IOException {
        String hash = Sha256.require(ctx.pathParam("sha256"));
        if (etag(hash).equals(ctx.header("If-None-Match"))) {
            if (!store.exists(hash)) throw unknown(hash);
            ctx.status(304).header("ETag", etag(hash));
            return;
        }
        if (!withBody) {
            OptionalLong size = store.size(hash);
            if (size.isEmpty()) throw unknown(hash);
            artefactHeaders(ctx, hash, size.getAsLong());
            return;
        }
        ArtefactStore.Artefact artefact = store.open(hash).orElseThrow(() -> unknown(hash));
        try (artefact) {
            artefactHeaders(ctx, hash, artefact.size());
            // Straight to the servlet stream: no buffering of the whole file, no compression.
            OutputStream out = ctx.res().getOutputStream();
            artefact.content().transferTo(out);
            out.flush();
        } catch (org.eclipse.jetty.io.EofException e) {
            // The client went away mid-download: its business, not an error of the repository.
            log.debug("download of {} cut off by the client: {}", hash, e.toString());
        }
    }

    private static void artefactHeaders(Context ctx, String hash, long size) {
        ctx.status(200).contentType(OCTET_STREAM).header("ETag", etag(hash))
                // The content behind a hash never changes.
                .header("Cache-Control", "public, max-age=31536000, immutable");
        ctx.res().setContentLengthLong(size);
    }

    private Principal authenticate(Context ctx) {
        // What the gateway forwards: a login token, or auth's assertion of an API key (never the key itself).
        return Bearer.token(ctx.header("Authorization")).map(tokens::verifyForwarded).orElse(Principal.ANONYMOUS);
    }

    private static LatticeException unknown(String hash) {
        return LatticeException.notFound("repository:artefact.unknown", "no artefact with sha256 " + hash);
    }

    private static String etag(String hash) {
        return "\"" + hash + "\"";
    }
}
