package dev.lattice.gateway.audit;

import dev.lattice.core.Principal;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.time.Clock;
import java.util.Set;

/**
 * Decides, once a request is answered, whether it goes into the audit log, and writes its entry:
 * every {@code /api/v1} request that is not a read (POST, PUT, PATCH, DELETE), whatever its answer,
 * except the data routes (readings, app outputs, predictions), which are data, not changes.
 */
public final class Auditor {
    /** The request's principal, set by the API once the token is checked. */
    public static final String PRINCIPAL = "lattice.principal";
    /** Set by a public route that knows whom the request is for (login: the username tried). */
    public static final String CLAIMED_USER = "lattice.audit.user";
    private static final Set<HandlerType> WRITES = Set.of(HandlerType.POST, HandlerType.PUT, HandlerType.PATCH, HandlerType.DELETE);
    private static final String PREFIX = "/api/v1/";

    private final AuditLog log;
    private final Clock clock;

    public Auditor(AuditLog log, Clock clock) {
        this.log = log;
        this.clock = clock;
    }

    /** Called for every request once answered (the server's request logger). */
    public void answered(Context ctx) {
        String path = ctx.path();
        if (!WRITES.contains(ctx.method()) || !path.startsWith(PREFIX) || isData(path)) return;
        Principal principal = ctx.attribute(PRINCIPAL);
        String user = principal != null && principal.kind() != Principal.Kind.ANONYMOUS ? principal.auditName() : null;
        if (user == null) user = ctx.attribute(CLAIMED_USER) instanceof String claimed ? claimed : "-";
        String role = principal != null && principal.role() != null ? principal.role().wireName() : null;
        log.record(new AuditEntry(clock.instant(), user, role, ctx.method().name(), path, path.substring(PREFIX.length()),
                ctx.statusCode(), ctx.req().getRemoteAddr()));
    }

    static boolean isData(String path) {
        return path.endsWith("/readings") || path.endsWith("/outputs") || path.endsWith("/predict");
    }
}
