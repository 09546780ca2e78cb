package dev.lattice.gateway.apps;

import dev.lattice.gateway.http.Forwarding;
import com.fasterxml.jackson.databind.JsonNode;
import dev.lattice.api.apps.AppCommands;
import dev.lattice.api.apps.AppConfig;
import dev.lattice.api.apps.AppInstance;
import dev.lattice.api.apps.AppVersion;
import dev.lattice.api.repository.ArtefactClient;
import dev.lattice.api.repository.Endpoints;
import dev.lattice.api.repository.Stored;
import dev.lattice.bus.rpc.RequestClient;
import dev.lattice.core.AppScope;
import dev.lattice.core.LatticeException;
import dev.lattice.core.Principal;
import dev.lattice.core.Role;
import dev.lattice.gateway.http.Access;
import dev.lattice.gateway.http.Bodies;
import dev.lattice.gateway.http.Paging;
import dev.lattice.gateway.http.Parts;
import dev.lattice.gateway.http.Route;
import dev.lattice.gateway.http.Uploads;
import dev.lattice.gateway.workloads.DeploymentRoutes;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /api/v1/apps} (multipart: app, config), the catalog, one app, and end users'
 * instances: create, list, one, logs, delete. An upload is checked in two steps: here, what costs
 * nothing (the parts are there, the size, the config parses, the version is new); then, in the
 * apps service, against the platform and the file itself (types and models exist, the jar has
 * its main class, the bundle unpacks safely). The file waits in the repository's staging area in
 * between, so a refused upload leaves nothing stored.
 */
public final class AppRoutes {
    static final Access UPLOAD = Access.roles(Role.ADMIN, Role.APP_DEVELOPER);
    static final Access RUN = Access.roles(Role.ADMIN, Role.END_USER);
    /** Who may look at instances; which ones each sees is {@link AppViews#visible}'s business. */
    static final Access SEE = Access.roles(Role.ADMIN, Role.END_USER, Role.APP_DEVELOPER);
    public static final long MAX_APP_BYTES = 128L * 1024 * 1024;
    /** Unpacking and checking a large bundle can take a while. */
    private static final Duration CHECK_TIMEOUT = Duration.ofMinutes(2);
    /** How long an upload's answer waits for the gateway's own view to hold the new version. */
    private static final Duration READ_YOUR_WRITE = Duration.ofSeconds(2);

    private final RequestClient client;
    private final AppViews views;
    private final Endpoints endpoints;
    private final ArtefactClient artefacts;
    private final Bodies bodies;

    public AppRoutes(RequestClient client, AppViews views, Endpoints endpoints, ArtefactClient artefacts, Bodies bodies) {
        this.client = client;
        this.views = views;
        this.endpoints = endpoints;
        this.artefacts = artefacts;
        this.bodies = bodies;
    }

    record InstanceBody(Map<String, List<String>> bindings, Map<String, Object> params, JsonNode schedule) {}

    public List<Route> routes() {
        return List.of(
                Route.post("/api/v1/apps", UPLOAD, this::upload).consuming(Route.MULTIPART),
                Route.get("/api/v1/apps", Access.ANY_ROLE, (ctx, p) -> ctx.json(Paging.page(ctx, views.catalog()))),
                Route.get("/api/v1/apps/{name}", Access.ANY_ROLE, (ctx, p) -> ctx.json(views.app(ctx.pathParam("name")))),
                Route.post("/api/v1/apps/{name}/instances", RUN, this::create),
                Route.get("/api/v1/app-instances", SEE, (ctx, p) -> ctx.json(Paging.page(ctx, views.visible(p, ctx.queryParam("app"))))),
                Route.get("/api/v1/app-instances/{id}", SEE.orApp(AppScope.Target.OWN_INSTANCE, "id"),
                        (ctx, p) -> ctx.json(views.view(views.instance(p, ctx.pathParam("id"))))),
                Route.get("/api/v1/app-instances/{id}/logs", SEE, this::logs),
                Route.delete("/api/v1/app-instances/{id}", RUN, this::delete));
    }

    void upload(Context ctx, Principal principal) throws IOException {
        Parts parts = Parts.readUpload(ctx, "apps", "app and config", MAX_APP_BYTES + AppConfig.MAX_BYTES + 64 * 1024);
        AppConfig config = AppConfig.parse(parts.text("config", AppConfig.MAX_BYTES));
        UploadedFile app = parts.file("app");
        if (app.size() == 0) throw LatticeException.badRequest("apps:app.empty", "app: the file is empty");
        if (app.size() > MAX_APP_BYTES)
            throw LatticeException.tooLarge("app: " + app.size() + " bytes is more than the limit of " + MAX_APP_BYTES);
        if (views.exists(config.name(), config.version()))
            throw LatticeException.conflict("apps:version.exists", "app '" + config.name() + "' already has version '"
                    + config.version() + "': give the new upload a new version");
        String token = Forwarding.credential(ctx); // an API key's assertion, never the key
        Stored stored = Uploads.stage(artefacts, endpoints.repository(), app.content(), token);
        AppVersion v = client.call(AppCommands.SERVICE, AppCommands.ADD_VERSION, new AppCommands.AddVersion(config, stored.sha256()),
                principal, Forwarding.credential(ctx), AppVersion.class, CHECK_TIMEOUT);
        views.awaitAdded(v.name(), v.version(), READ_YOUR_WRITE);
        ctx.status(201).header("Location", "/api/v1/apps/" + v.name()).json(Map.of("name", v.name(), "version", v.version()));
    }

    void create(Context ctx, Principal principal) {
        String name = ctx.pathParam("name");
        InstanceBody body = bodies.json(ctx, InstanceBody.class);
        if (!views.exists(name)) throw LatticeException.notFound("apps:not-found", "app '" + name + "' does not exist");
        var created = client.call(AppCommands.SERVICE, AppCommands.CREATE_INSTANCE,
                new AppCommands.CreateInstance(name, body.bindings(), body.params(), body.schedule()), principal, Forwarding.credential(ctx), AppCommands.Created.class);
        ctx.status(201).header("Location", "/api/v1/app-instances/" + created.id()).json(AppViews.created(created.id(), created.status()));
    }

    void logs(Context ctx, Principal principal) {
        AppInstance i = views.instance(principal, ctx.pathParam("id"));
        var replica = views.replica(i).filter(r -> r.node() != null).orElseThrow(() ->
                LatticeException.notFound("apps:no-logs", "app instance '" + i.id() + "' is not running now, so it has no log to show"));
        // The caller's right to this instance was checked above; the agent checks that the caller is who it says.
        ctx.contentType("text/plain; charset=utf-8")
                .result(DeploymentRoutes.tail(client, replica.node(), replica.id(), ctx, principal));
    }

    void delete(Context ctx, Principal principal) {
        String id = ctx.pathParam("id");
        views.instance(principal, id); // 404 for what the caller may not see
        client.call(AppCommands.SERVICE, AppCommands.DELETE_INSTANCE, new AppCommands.DeleteInstance(id), principal, Forwarding.credential(ctx), Map.class);
        ctx.status(202).json(AppViews.created(id, "STOPPED"));
    }
}
