package dev.lattice.gateway.models;

import dev.lattice.gateway.http.Forwarding;
import dev.lattice.api.models.ModelCommands;
import dev.lattice.api.models.ModelConfig;
import dev.lattice.api.models.ModelDeployment;
import dev.lattice.api.models.ModelVersion;
import dev.lattice.api.models.contract.Contract;
import dev.lattice.api.repository.ArtefactClient;
import dev.lattice.api.repository.Endpoints;
import dev.lattice.api.repository.Stored;
import dev.lattice.bus.rpc.RequestClient;
import dev.lattice.core.LatticeException;
import dev.lattice.core.Principal;
import dev.lattice.core.Role;
import dev.lattice.gateway.http.Access;
import dev.lattice.gateway.http.Bodies;
import dev.lattice.gateway.http.Paging;
import dev.lattice.gateway.http.Parts;
import dev.lattice.gateway.http.Route;
import dev.lattice.gateway.http.Uploads;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /api/v1/models} (multipart: model, contract, config), the model list, one model,
 * and deploy/undeploy. An upload is checked in two steps: here, what costs nothing (the parts are
 * there, sizes, the config and the contract parse, the version is new); then, in the models
 * service, against the model itself (it loads, the contract fits it). The files wait in the
 * repository's staging area in between, so a refused upload leaves nothing stored.
 */
public final class ModelRoutes {
    static final Access WRITE = Access.roles(Role.ADMIN, Role.DATA_SCIENTIST);
    public static final long MAX_MODEL_BYTES = 256L * 1024 * 1024;
    static final int MAX_TEXT_BYTES = 64 * 1024;
    /** Checking a large model (load, one inference) can take a while. */
    private static final Duration CHECK_TIMEOUT = Duration.ofMinutes(2);
    /** How long an upload's answer waits for the gateway's own view to hold the new version. */
    private static final Duration READ_YOUR_WRITE = Duration.ofSeconds(2);

    private final RequestClient client;
    private final ModelViews views;
    private final Endpoints endpoints;
    private final ArtefactClient artefacts;
    private final Bodies bodies;

    public ModelRoutes(RequestClient client, ModelViews views, Endpoints endpoints, ArtefactClient artefacts, Bodies bodies) {
        this.client = client;
        this.views = views;
        this.endpoints = endpoints;
        this.artefacts = artefacts;
        this.bodies = bodies;
    }

    record DeployBody(String version, Integer replicas, ModelDeployment.Canary canary) {}

    public List<Route> routes() {
        return List.of(
                Route.post("/api/v1/models", WRITE, this::upload).consuming(Route.MULTIPART),
                Route.get("/api/v1/models", Access.ANY_ROLE, (ctx, p) -> ctx.json(Paging.page(ctx, views.all()))),
                Route.get("/api/v1/models/{name}", Access.ANY_ROLE, (ctx, p) -> ctx.json(views.one(ctx.pathParam("name")))),
                Route.post("/api/v1/models/{name}/deploy", WRITE, this::deploy),
                Route.delete("/api/v1/models/{name}/deploy", WRITE, this::undeploy),
                Route.post("/api/v1/models/{name}/promote", WRITE, (ctx, p) -> endCanary(ctx, p, ModelCommands.PROMOTE)),
                Route.post("/api/v1/models/{name}/rollback", WRITE, (ctx, p) -> endCanary(ctx, p, ModelCommands.ROLLBACK)));
    }

    void upload(Context ctx, Principal principal) throws IOException {
        Parts parts = Parts.readUpload(ctx, "models", "model, contract and config", MAX_MODEL_BYTES + 2L * MAX_TEXT_BYTES + 64 * 1024);
        ModelConfig config = ModelConfig.parse(parts.text("config", MAX_TEXT_BYTES));
        byte[] contractBytes = parts.text("contract", MAX_TEXT_BYTES);
        String contractName = parts.fileName("contract");
        boolean python = contractName != null && contractName.endsWith(".py");
        // Syntax only; the fit is checked with the model, and a Python contract only in the models service's sandbox.
        if (!python) Contract.parse(new String(contractBytes, StandardCharsets.UTF_8));
        UploadedFile model = parts.file("model");
        if (model.size() == 0) throw LatticeException.badRequest("models:model.empty", "model: the file is empty");
        if (model.size() > MAX_MODEL_BYTES)
            throw LatticeException.tooLarge("model: " + model.size() + " bytes is more than the limit of " + MAX_MODEL_BYTES);
        if (views.exists(config.name(), config.version()))
            throw LatticeException.conflict("models:version.exists", "model '" + config.name() + "' already has version '"
                    + config.version() + "': give the new upload a new version");
        String token = Forwarding.credential(ctx); // an API key's assertion, never the key
        Stored modelStored = stage(model.content(), token);
        Stored contractStored = stage(new java.io.ByteArrayInputStream(contractBytes), token);
        var add = new ModelCommands.AddVersion(config, modelStored.sha256(), contractStored.sha256(), "model.onnx",
                python ? ModelVersion.PYTHON : ModelVersion.YAML);
        ModelVersion v = client.call(ModelCommands.SERVICE, ModelCommands.ADD_VERSION, add, principal, Forwarding.credential(ctx), ModelVersion.class, CHECK_TIMEOUT);
        views.awaitAdded(v.name(), v.version(), READ_YOUR_WRITE);
        String status = views.status(v.name());
        ctx.status(201).header("Location", "/api/v1/models/" + v.name())
                .json(Map.of("name", v.name(), "version", v.version(), "status", status == null ? "STOPPED" : status));
    }

    private Stored stage(InputStream content, String token) throws IOException {
        return Uploads.stage(artefacts, endpoints.repository(), content, token);
    }

    void deploy(Context ctx, Principal principal) {
        String name = ctx.pathParam("name");
        // An empty body deploys the latest version with its config's replicas.
        DeployBody body = ctx.req().getContentLengthLong() <= 0 ? new DeployBody(null, null, null) : bodies.json(ctx, DeployBody.class);
        if (!views.exists(name)) throw LatticeException.notFound("models:not-found", "model '" + name + "' does not exist");
        var d = client.call(ModelCommands.SERVICE, ModelCommands.DEPLOY, new ModelCommands.Deploy(name, body.version(),
                body.replicas(), body.canary()), principal, Forwarding.credential(ctx), ModelDeployment.class);
        // The gateway's view may not have the new deployment yet (it follows Kafka): then it is PENDING.
        String status = views.status(name);
        Map<String, Object> answer = new java.util.LinkedHashMap<>(Map.of("name", name, "version", d.version(), "replicas", d.replicas(),
                "status", status == null ? "PENDING" : status));
        if (d.canary() != null) answer.put("canary", d.canary());
        ctx.status(202).header("Location", "/api/v1/models/" + name).json(answer);
    }

    /** Promote (the canary's version takes all traffic) or roll back (it loses it). */
    void endCanary(Context ctx, Principal principal, String command) {
        String name = ctx.pathParam("name");
        if (!views.exists(name)) throw LatticeException.notFound("models:not-found", "model '" + name + "' does not exist");
        var d = client.call(ModelCommands.SERVICE, command, new ModelCommands.EndCanary(name, null), principal,
                Forwarding.credential(ctx), ModelDeployment.class);
        ctx.status(202).header("Location", "/api/v1/models/" + name).json(Map.of("name", name, "version", d.version()));
    }

    void undeploy(Context ctx, Principal principal) {
        String name = ctx.pathParam("name");
        client.call(ModelCommands.SERVICE, ModelCommands.UNDEPLOY, new ModelCommands.Undeploy(name), principal, Forwarding.credential(ctx), ModelDeployment.class);
        ctx.status(202).json(Map.of("name", name, "status", "STOPPED"));
    }
}
