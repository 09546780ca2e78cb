package dev.lattice.gateway.http;

import dev.lattice.core.LatticeException;
import dev.lattice.core.Principal;
import dev.lattice.gateway.audit.Auditor;
import dev.lattice.http.Problems;
import io.javalin.Javalin;
import io.javalin.http.staticfiles.Location;
import java.util.ArrayList;
import java.util.List;

/**
 * The HTTP server: registers every {@link Route} behind its access check, serves the UI and
 * WebJars, renders every failure as RFC 9457 problem+json, and hands every answered request to
 * the {@link Auditor}, in this one place.
 */
public final class Api {

    private final Javalin app;
    private final List<Route> routes;

    public Api(List<Route> routes, Authenticator authenticator, Forwarding forwarding, long maxBodyBytes, Auditor auditor,
               dev.lattice.gateway.metrics.RequestMetrics metrics) {
        this.routes = List.copyOf(routes);
        this.app = Javalin.create(cfg -> {
            // Runs once each request is answered, whatever the answer (refusals and failures included).
            cfg.requestLogger.http((ctx, ms) -> {
                auditor.answered(ctx);
                metrics.record(ctx, ms);
            });
            // Failures Jetty answers itself (bad URI, huge headers, errors escaping handlers) are problems too.
            dev.lattice.http.ServerDefaults.apply(cfg, "the gateway");
            cfg.http.maxRequestSize = maxBodyBytes;
            cfg.staticFiles.add(s -> {
                s.hostedPath = "/";
                s.directory = "/ui";
                s.location = Location.CLASSPATH;
            });
            cfg.staticFiles.enableWebjars();
            // Model uploads: parts over 1 MiB go to temporary files, never all into memory.
            cfg.jetty.multipartConfig.maxInMemoryFileSize(1, io.javalin.config.SizeUnit.MB);
            cfg.jetty.multipartConfig.maxFileSize(dev.lattice.gateway.models.ModelRoutes.MAX_MODEL_BYTES, io.javalin.config.SizeUnit.BYTES);
            cfg.jetty.multipartConfig.maxTotalRequestSize(dev.lattice.gateway.models.ModelRoutes.MAX_MODEL_BYTES + 1024 * 1024,
                    io.javalin.config.SizeUnit.BYTES);
        });
        for (Route route : this.routes) {
            app.addHttpHandler(route.method(), route.path(), ctx -> {
                Principal principal = route.access().open() ? Principal.ANONYMOUS : authenticator.authenticate(ctx);
                ctx.attribute(Auditor.PRINCIPAL, principal);
                forwarding.attach(ctx);
                String pathId = ctx.pathParamMap().get("id");
                boolean allowed = principal.kind() == Principal.Kind.APP
                        ? route.access().allowsApp(authenticator.scopeOf(principal), ctx.pathParamMap())
                        : route.access().allows(principal, pathId);
                if (!allowed) {
                    String who = principal.role() != null ? "role '" + principal.role().wireName() + "'"
                            : principal.kind() == Principal.Kind.APP ? "the token of app instance '" + principal.name() + "'"
                            : "the device token of '" + principal.name() + "'";
                    throw LatticeException.forbidden(who + " may not " + route.method() + " " + route.path());
                }
                route.handler().handle(ctx, principal);
            });
        }
        Problems.install(app, "gateway", "the gateway");
    }

    /** Every route, for documentation and for the route-by-role test. */
    public List<Route> routes() {
        return new ArrayList<>(routes);
    }

    public Api start(String host, int port) {
        app.start(host, port);
        return this;
    }

    public int port() {
        return app.port();
    }

    public void stop() {
        app.stop();
    }
}
