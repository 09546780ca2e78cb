package dev.lattice.gateway.http;

import io.javalin.http.HandlerType;

/**
 * One API route: method, path (Javalin syntax, {@code {id}}), who may call it, its handler, and the
 * content type of its request body (null: none or JSON), which the OpenAPI document states.
 */
public record Route(HandlerType method, String path, Access access, RouteHandler handler, String consumes) {
    public static final String MULTIPART = "multipart/form-data";

    public static Route get(String path, Access access, RouteHandler handler) {
        return new Route(HandlerType.GET, path, access, handler, null);
    }

    public static Route post(String path, Access access, RouteHandler handler) {
        return new Route(HandlerType.POST, path, access, handler, null);
    }

    public static Route delete(String path, Access access, RouteHandler handler) {
        return new Route(HandlerType.DELETE, path, access, handler, null);
    }

    /** The same route, taking its body as {@code contentType} (an upload: {@link #MULTIPART}). */
    public Route consuming(String contentType) {
        return new Route(method, path, access, handler, contentType);
    }
}
