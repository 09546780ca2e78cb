package dev.lattice.gateway.audit;

import dev.lattice.core.LatticeException;
import dev.lattice.core.Principal;
import dev.lattice.core.Role;
import dev.lattice.gateway.http.Access;
import dev.lattice.gateway.http.Route;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/** {@code GET /api/v1/audit?user=&since=&limit=} (admin): newest first. */
public final class AuditRoutes {
    private static final int DEFAULT_LIMIT = 100;
    private static final int MAX_LIMIT = 1000;
    private final AuditLog log;

    public AuditRoutes(AuditLog log) {
        this.log = log;
    }

    public List<Route> routes() {
        return List.of(Route.get("/api/v1/audit", Access.roles(Role.ADMIN), this::list));
    }

    void list(Context ctx, Principal principal) {
        String user = ctx.queryParam("user");
        ctx.json(log.query(user == null || user.isBlank() ? null : user, since(ctx.queryParam("since")), limit(ctx.queryParam("limit"))));
    }

    private static Instant since(String raw) {
        if (raw == null || raw.isBlank()) return null;
        try {
            return Instant.parse(raw);
        } catch (DateTimeParseException e) {
            throw LatticeException.badRequest("gateway:audit.since", "since: '" + raw + "' is not an ISO-8601 instant (e.g. 2026-12-06T08:00:00Z)");
        }
    }

    private static int limit(String raw) {
        if (raw == null || raw.isBlank()) return DEFAULT_LIMIT;
        try {
            int n = Integer.parseInt(raw);
            if (n >= 1 && n <= MAX_LIMIT) return n;
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw LatticeException.badRequest("gateway:audit.limit", "limit: must be a whole number from 1 to " + MAX_LIMIT);
    }
}
