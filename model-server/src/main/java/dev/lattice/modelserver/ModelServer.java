package dev.lattice.modelserver;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.lattice.api.models.contract.Contract;
import dev.lattice.api.models.contract.Rows;
import dev.lattice.core.Json;
import dev.lattice.core.LatticeException;
import dev.lattice.core.Problem;
import dev.lattice.http.Problems;
import dev.lattice.models.onnx.Onnx;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model server's HTTP API, for one model version:
 * <ul>
 *   <li>{@code POST /predict}: the contract's request in, its answer out (404 without a contract);</li>
 *   <li>Open Inference Protocol V2: {@code GET /v2/health/live}, {@code GET /v2/health/ready},
 *       {@code GET /v2/models/{name}} (metadata), {@code GET /v2/models/{name}/ready},
 *       {@code POST /v2/models/{name}/infer}, each also under {@code /v2/models/{name}/versions/{v}};</li>
 *   <li>{@code GET /metrics}: Prometheus text.</li>
 * </ul>
 * Every route but {@code /metrics} answers 401 unless the request carries
 * {@code Authorization: Bearer <LATTICE_SERVE_KEY>}: only the gateway's proxy and the agent's
 * readiness probe hold that key.
 * It listens before the model is loaded, so that liveness answers at once; the ready routes,
 * predict and infer answer 503 until {@link #serve} hands it the loaded, warmed-up model, and
 * again once {@link #close} begins. Every failure is problem+json. Requests run on virtual threads.
 */
final class ModelServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ModelServer.class);
    private static final String JSON = "application/json";
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    /** Up to 10,000 contract rows or a sizeable V2 batch; the JSON tree of a body costs ~10x its size. */
    static final long MAX_BODY_BYTES = 4L << 20;
    /** How long a stop waits for requests in flight; below the agent's grace before SIGKILL. */
    static final long STOP_GRACE_MS = 5_000;

    private final String name;
    private final String version;
    private final Contract contract;
    private final boolean python;
    private final ServerMetrics metrics;
    private final DirectBuffers buffers;
    private final Javalin app;
    private volatile LoadedModel model;
    private volatile boolean stopping;
    private final AtomicBoolean closed = new AtomicBoolean();

    ModelServer(ModelServerConfig config, ServerMetrics metrics, DirectBuffers buffers) {
        this.name = config.name();
        this.version = config.version();
        this.contract = config.contract();
        this.python = config.python() != null;
        this.metrics = metrics;
        this.buffers = buffers;
        this.app = Javalin.create(cfg -> {
            dev.lattice.http.ServerDefaults.apply(cfg, "the model server");
            cfg.http.maxRequestSize = MAX_BODY_BYTES;
            // Small JSON on an internal network: compressing costs more time than it saves.
            cfg.http.disableCompression();
            // Javalin's StatisticsHandler then lets requests in flight finish when stopping.
            cfg.jetty.modifyServer(server -> server.setStopTimeout(STOP_GRACE_MS));
            cfg.requestLogger.http((ctx, ms) -> metrics.request(route(ctx), ctx.statusCode()));
        });
        // Before every route, so that nothing (not even liveness) tells a stranger what runs here.
        // /metrics stays open to scrapers (DESIGN.md).
        app.before(dev.lattice.http.ServiceKey.of(config.key()).guard("Authorization", java.util.Set.of("/metrics")));
        routes();
        errors();
    }

    private void routes() {
        app.post("/predict", this::predict);
        app.get("/v2", ctx -> ctx.json(Map.of("name", "lattice-model-server", "version", "0.1.0", "extensions", List.of())));
        app.get("/v2/health/live", ctx -> ctx.json(Map.of("live", true)));
        app.get("/v2/health/ready", ctx -> {
            ready();
            ctx.json(Map.of("ready", true));
        });
        for (String base : List.of("/v2/models/{name}", "/v2/models/{name}/versions/{version}")) {
            app.get(base, this::metadata);
            app.get(base + "/ready", this::modelReady);
            app.post(base + "/infer", this::infer);
        }
        app.get("/metrics", ctx -> ctx.contentType(PROMETHEUS_TEXT).result(metrics.scrape()));
    }

    private void errors() {
        Problems.install(app, "model-server", "the model server");
        app.exception(OrtException.class, (e, ctx) -> {
            // Inputs are checked against the signature first, so what is left is the model's own complaint.
            boolean input = e.getCode() == OrtException.OrtErrorCode.ORT_INVALID_ARGUMENT;
            if (!input) log.error("{} {}: ONNX Runtime failed: {}", ctx.method(), ctx.path(), e.getMessage(), e);
            Problems.render(ctx, input ? Problem.of(400, "model-server:input.refused", "the model refused the input: " + Onnx.reason(e))
                    : Problem.of(500, "model-server:inference.failed", "the model failed on this request; the server's log has the details"));
        });
    }

    ModelServer start(String host, int port) {
        app.start(host, port);
        return this;
    }

    /** Serves the model from now on: the ready routes answer 200. */
    void serve(LoadedModel loaded) {
        this.model = loaded;
    }

    int port() {
        return app.port();
    }

    /** True once the model is loaded and warmed up, until the server begins to stop. */
    boolean isReady() {
        return model != null && !stopping;
    }

    /** Stops answering ready, lets requests in flight finish (up to {@value #STOP_GRACE_MS} ms), then frees the model. */
    @Override
    public void close() {
        // Once only: the shutdown hook and a failed start may both get here.
        if (!closed.compareAndSet(false, true)) return;
        stopping = true;
        app.stop();
        LoadedModel loaded = model;
        if (loaded != null) loaded.close();
    }

    private void predict(Context ctx) throws OrtException {
        if (python) {
            LoadedModel loaded = ready();
            long start = System.nanoTime();
            byte[] answer = Json.bytes(loaded.python().predict(body(ctx)));
            long end = System.nanoTime();
            // Pre- and postprocessing happen in one worker's exchange: its whole time counts as the model's.
            metrics.predict.record(start, start, end, end);
            ctx.contentType(JSON).result(answer);
            return;
        }
        if (contract == null) {
            throw LatticeException.notFound("model-server:contract.none",
                    "model '" + name + "' was deployed without a contract: use POST /v2/models/" + name + "/infer");
        }
        LoadedModel loaded = ready();
        long start = System.nanoTime();
        Rows rows = contract.rows(body(ctx));
        long preprocessed = System.nanoTime();
        float[][] outputs = loaded.predict(rows.values());
        long inferred = System.nanoTime();
        byte[] answer = Json.bytes(contract.answer(outputs, rows.single()));
        metrics.predict.record(start, preprocessed, inferred, System.nanoTime());
        ctx.contentType(JSON).result(answer);
    }

    private void infer(Context ctx) throws OrtException {
        requireModel(ctx);
        LoadedModel loaded = ready();
        long start = System.nanoTime();
        try (V2Inference.Request request = V2Inference.decode(body(ctx), loaded.signature(), buffers)) {
            long preprocessed = System.nanoTime();
            try (OrtSession.Result result = loaded.session().run(request.inputs, request.outputNames())) {
                long inferred = System.nanoTime();
                byte[] answer = Json.bytes(V2Inference.answer(name, version, request, result));
                metrics.infer.record(start, preprocessed, inferred, System.nanoTime());
                ctx.contentType(JSON).result(answer);
            }
        }
    }

    private void metadata(Context ctx) {
        requireModel(ctx);
        ctx.contentType(JSON).result(Json.bytes(V2Inference.metadata(name, version, ready().signature())));
    }

    private void modelReady(Context ctx) {
        requireModel(ctx);
        ready();
        ctx.json(Map.of("name", name, "ready", true));
    }

    private LoadedModel ready() {
        LoadedModel loaded = model;
        if (stopping) throw LatticeException.unavailable("model-server:stopping", "the model server is stopping");
        if (loaded == null) throw LatticeException.unavailable("model-server:loading", "model '" + name + "' is still loading");
        return loaded;
    }

    private void requireModel(Context ctx) {
        String asked = ctx.pathParam("name");
        if (!asked.equals(name)) {
            throw LatticeException.notFound("model-server:model.unknown", "no model '" + asked + "' here: this server serves '" + name + "'");
        }
        String askedVersion = ctx.pathParamMap().get("version");
        if (askedVersion != null && !askedVersion.equals(version)) {
            throw LatticeException.notFound("model-server:version.unknown",
                    "model '" + name + "' has no version '" + askedVersion + "' here: this server serves version '" + version + "'");
        }
    }

    /** The body as a JSON tree; null when empty, which the readers refuse with their own message. */
    private static JsonNode body(Context ctx) {
        byte[] bytes = ctx.bodyAsBytes();
        if (bytes.length == 0) return null;
        try {
            return Json.MAPPER.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw LatticeException.badRequest("core:body.malformed", "body: malformed JSON: " + oneLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The route template ({@code /v2/models/{name}/infer}), so that metrics do not grow with every path asked. */
    private static String route(Context ctx) {
        try {
            String path = ctx.endpointHandlerPath();
            return path == null || path.isEmpty() ? "unmatched" : path;
        } catch (RuntimeException e) {
            return "unmatched";
        }
    }

    private static String oneLine(String message) {
        if (message == null) return "no reason given";
        int newline = message.indexOf('\n');
        return (newline < 0 ? message : message.substring(0, newline)).strip();
    }
}
