package dev.lattice.http;

import dev.lattice.core.Json;
import io.javalin.config.JavalinConfig;
import io.javalin.json.JavalinJackson;

/**
 * The settings every Lattice HTTP server starts from: virtual threads, no banner or start-up
 * watcher, 405 rather than 404 for a known path with another method, trailing slashes ignored,
 * the platform's JSON mapper, and Jetty's own error pages as problem+json. Each server then adds
 * what is its own (body limits, compression, static files, a stop timeout).
 */
public final class ServerDefaults {
    private ServerDefaults() {}

    /** @param server how the server names itself in a 5xx problem, e.g. "the gateway" */
    public static void apply(JavalinConfig cfg, String server) {
        cfg.useVirtualThreads = true;
        cfg.showJavalinBanner = false;
        cfg.startupWatcherEnabled = false;
        cfg.http.prefer405over404 = true;
        cfg.router.ignoreTrailingSlashes = true;
        cfg.jsonMapper(new JavalinJackson(Json.MAPPER, false));
        cfg.jetty.modifyServer(s -> s.setErrorHandler(new ProblemPages(server)));
    }
}
