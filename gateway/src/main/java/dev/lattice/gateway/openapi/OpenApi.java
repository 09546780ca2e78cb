package dev.lattice.gateway.openapi;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lattice.core.Json;
import dev.lattice.core.Role;
import dev.lattice.gateway.http.Access;
import dev.lattice.gateway.http.Route;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The OpenAPI 3.1 description of every route the gateway serves, made from its route table (one
 * source of truth: a route added to the table is documented, with who may call it, by that alone).
 * Who may call a route is in each operation's {@code security} and {@code x-lattice-access}
 * ({@code roles}, and whether a device or an app instance may call it for itself), and in words in
 * its description. Bodies and answers are described by their content types, not field by field;
 * the fields are in {@code docs/API.md}.
 */
public final class OpenApi {
    public static final String PATH = "/api/v1/openapi.json";
    private static final Pattern PARAM = Pattern.compile("\\{([^}/]+)}");

    private OpenApi() {}

    /** The route that serves the document, described in it too. */
    public static Route route(List<Route> routes, String version) {
        List<Route> all = new ArrayList<>(routes);
        Route self = Route.get(PATH, Access.PUBLIC, (ctx, p) -> {});
        all.add(self);
        byte[] document = Json.bytes(document(all, version));
        return Route.get(PATH, Access.PUBLIC, (ctx, p) -> ctx.contentType("application/json").result(document));
    }

    static ObjectNode document(List<Route> routes, String version) {
        ObjectNode doc = Json.MAPPER.createObjectNode();
        doc.put("openapi", "3.1.0");
        ObjectNode info = doc.putObject("info");
        info.put("title", "Lattice API");
        info.put("version", version);
        info.put("description", "Every route the Lattice gateway serves. Errors are RFC 9457 problem+json. "
                + "Send `Authorization: Bearer <token>` (a login token, an API key `ltk_...`, a device token `ltd_...` "
                + "or an app instance token `lta_...`) except where `security` is empty.");
        doc.putArray("servers").addObject().put("url", "/");
        ObjectNode components = doc.putObject("components");
        components.putObject("securitySchemes").putObject("bearer").put("type", "http").put("scheme", "bearer");
        ObjectNode problem = components.putObject("schemas").putObject("Problem");
        problem.put("type", "object");
        problem.putArray("required").add("status").add("title").add("detail");
        ObjectNode props = problem.putObject("properties");
        props.putObject("type").put("type", "string");
        props.putObject("title").put("type", "string");
        props.putObject("status").put("type", "integer");
        props.putObject("detail").put("type", "string");
        props.putObject("instance").put("type", "string");

        ObjectNode paths = doc.putObject("paths");
        List<Route> sorted = routes.stream().sorted(Comparator.comparing(Route::path).thenComparing(r -> r.method().name())).toList();
        for (Route route : sorted) {
            ObjectNode item = paths.has(route.path()) ? (ObjectNode) paths.get(route.path()) : paths.putObject(route.path());
            item.set(route.method().name().toLowerCase(Locale.ROOT), operation(route));
        }
        return doc;
    }

    private static ObjectNode operation(Route route) {
        ObjectNode op = Json.MAPPER.createObjectNode();
        op.put("operationId", operationId(route));
        op.putArray("tags").add(tag(route.path()));
        op.put("summary", route.method() + " " + route.path());
        op.put("description", who(route.access()));
        ArrayNode security = op.putArray("security");
        if (!route.access().open()) security.addObject().putArray("bearer");
        ObjectNode access = op.putObject("x-lattice-access");
        access.put("public", route.access().open());
        ArrayNode roles = access.putArray("roles");
        route.access().roles().stream().map(Role::wireName).sorted().forEach(roles::add);
        access.put("device", route.access().devices());
        if (route.access().app() != null) access.put("appInstance", route.access().app().name().toLowerCase(Locale.ROOT));
        Matcher m = PARAM.matcher(route.path());
        ArrayNode params = null;
        while (m.find()) {
            if (params == null) params = op.putArray("parameters");
            ObjectNode p = params.addObject();
            p.put("name", m.group(1));
            p.put("in", "path");
            p.put("required", true);
            p.putObject("schema").put("type", "string");
        }
        if (route.method().name().equals("POST")) {
            String type = route.consumes() == null ? "application/json" : route.consumes();
            ObjectNode body = op.putObject("requestBody");
            body.put("required", route.consumes() != null);
            body.putObject("content").putObject(type).putObject("schema").put("type", type.equals("application/json") ? "object" : "string");
        }
        ObjectNode responses = op.putObject("responses");
        responses.putObject("2XX").put("description", "Success");
        ObjectNode failure = responses.putObject("default");
        failure.put("description", "A problem (RFC 9457): 400 bad input, 401 no or bad token, 403 wrong role, 404 unknown, 409 conflict, 413 too large, 503 not ready");
        failure.putObject("content").putObject("application/problem+json").putObject("schema").put("$ref", "#/components/schemas/Problem");
        return op;
    }

    static String who(Access access) {
        if (access.open()) return "Public: no token needed.";
        List<String> parts = new ArrayList<>();
        parts.add("Roles: " + String.join(", ", access.roles().stream().map(Role::wireName).sorted().toList()) + ".");
        if (access.devices()) parts.add("Also the device whose instance id is the path's `{id}`, with its device token.");
        if (access.app() != null) parts.add("Also an app instance token, where its bindings permit the path's `{" + access.appParam() + "}`.");
        return String.join(" ", parts);
    }

    private static String tag(String path) {
        String[] segments = path.split("/");
        if (path.startsWith("/v2/")) return "inference (v2)";
        return segments.length > 3 ? segments[3] : path;
    }

    private static String operationId(Route route) {
        StringBuilder id = new StringBuilder(route.method().name().toLowerCase(Locale.ROOT));
        for (String segment : route.path().split("[/.-]")) {
            if (segment.isEmpty() || segment.equals("api") || segment.equals("v1")) continue;
            String word = segment.startsWith("{") ? "By" + cap(segment.substring(1, segment.length() - 1)) : cap(segment);
            id.append(word);
        }
        return id.toString();
    }

    private static String cap(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
