package dev.lattice.http;

import dev.lattice.core.Json;
import dev.lattice.core.LatticeException;
import dev.lattice.core.Problem;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every failure of a Lattice HTTP server as RFC 9457 problem+json, rendered in this one place: a
 * {@link LatticeException} as its own problem, Javalin's HTTP exceptions by status, an unknown
 * route (404) or method (405), and anything else as a 500 that names no internals (the log has
 * them). What Jetty refuses before a route runs is {@link ProblemPages}' job. A server adds its own
 * exception types with {@code app.exception}: Javalin picks the most specific handler.
 */
public final class Problems {
    private static final Logger log = LoggerFactory.getLogger(Problems.class);
    public static final String PROBLEM_JSON = ProblemPages.PROBLEM_JSON;
    /** Set once a problem is rendered, so that the 404/405 pages do not replace it. */
    private static final String RENDERED = "lattice.problem";

    private Problems() {}

    /**
     * @param code   the prefix of this server's problem types, e.g. "gateway" for "gateway:internal"
     * @param server how the server names itself in a 500's detail, e.g. "the gateway"
     */
    public static void install(Javalin app, String code, String server) {
        app.exception(LatticeException.class, (e, ctx) -> {
            if (e.status() >= 500) log.warn("{} {} failed: {}", ctx.method(), ctx.path(), e.getMessage());
            render(ctx, e.toProblem());
        });
        app.exception(HttpResponseException.class, (e, ctx) -> render(ctx, Problem.of(e.getStatus(), "http:" + e.getStatus(), e.getMessage())));
        app.exception(Exception.class, (e, ctx) -> {
            log.error("{} {} failed: {}", ctx.method(), ctx.path(), e.toString(), e);
            render(ctx, Problem.of(500, code + ":internal", server + " failed on this request; its log has the details"));
        });
        app.error(404, ctx -> {
            if (ctx.attribute(RENDERED) == null) render(ctx, Problem.of(404, "http:no-route", "no route for " + ctx.method() + " " + ctx.path()));
        });
        app.error(405, ctx -> {
            if (ctx.attribute(RENDERED) == null) render(ctx, Problem.of(405, "http:method", ctx.method() + " is not allowed on " + ctx.path()));
        });
    }

    /**
     * Answers with {@code problem}, its instance the request's path. Whatever the handler had set
     * (a Location, a download's length) is dropped; once bytes of a body went out, a failure can
     * only end the connection.
     */
    public static void render(Context ctx, Problem problem) {
        ctx.attribute(RENDERED, Boolean.TRUE);
        if (ctx.res().isCommitted()) return;
        ctx.res().reset();
        ctx.status(problem.status());
        ctx.contentType(PROBLEM_JSON);
        ctx.result(Json.bytes(problem.withInstance(ctx.path())));
    }
}
