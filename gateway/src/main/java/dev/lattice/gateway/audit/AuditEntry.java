package dev.lattice.gateway.audit;

import java.time.Instant;

/**
 * One request that changed state or tried to: who ({@code user}: a username, {@code key:ID},
 * {@code device:ID}, {@code app:ID}, or {@code -} when the request had no valid credential), what
 * ({@code method}, {@code path} without its query, {@code object}), the answer's {@code status}
 * and the caller's address. Never a body, a header or a query string: that is where secrets travel.
 */
public record AuditEntry(Instant ts, String user, String role, String method, String path, String object, int status, String remote) {}
