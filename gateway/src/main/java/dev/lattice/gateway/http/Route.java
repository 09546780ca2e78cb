package dev.lattice.gateway.http;

import io.javalin.http.HandlerType;

/** One API route: method, path (Javalin syntax, {@code {id}}), who may call it, and its handler. */
public record Route(HandlerType method, String path, Access access, RouteHandler handler) {

    public static Route get(String path, Access access, RouteHandler handler) {
        return new Route(HandlerType.GET, path, access, handler);
    }

    public static Route post(String path, Access access, RouteHandler handler) {
        return new Route(HandlerType.POST, path, access, handler);
    }

    public static Route delete(String path, Access access, RouteHandler handler) {
        return new Route(HandlerType.DELETE, path, access, handler);
    }
}
