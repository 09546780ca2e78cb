package dev.lattice.gateway.http;

import dev.lattice.core.Principal;
import io.javalin.http.Context;

/** Handles a request whose caller has already been authenticated and checked against the route's access. */
@FunctionalInterface
public interface RouteHandler {
    void handle(Context ctx, Principal principal) throws Exception;
}
