package dev.lattice.gateway.http;

import dev.lattice.core.LatticeException;
import io.javalin.http.Context;
import java.util.List;

/** The {@code ?limit=&offset=} of every list route. */
public final class Paging {
    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;

    private Paging() {}

    public static <T> List<T> page(Context ctx, List<T> all) {
        int limit = limit(ctx);
        int offset = offset(ctx);
        if (offset >= all.size()) return List.of();
        return all.subList(offset, Math.min(all.size(), offset + limit));
    }

    /** {@code ?limit=}: 0 to {@link #MAX_LIMIT}, default {@link #DEFAULT_LIMIT}; for routes that page by themselves. */
    public static int limit(Context ctx) {
        int limit = param(ctx, "limit", DEFAULT_LIMIT);
        if (limit < 0 || limit > MAX_LIMIT) throw LatticeException.badRequest("http:paging", "limit: must be 0 to " + MAX_LIMIT);
        return limit;
    }

    /** {@code ?offset=}: not negative, default 0. */
    public static int offset(Context ctx) {
        int offset = param(ctx, "offset", 0);
        if (offset < 0) throw LatticeException.badRequest("http:paging", "offset: must not be negative");
        return offset;
    }

    private static int param(Context ctx, String name, int fallback) {
        String value = ctx.queryParam(name);
        if (value == null || value.isBlank()) return fallback;
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw LatticeException.badRequest("http:paging", name + ": '" + value + "' is not a whole number");
        }
    }
}
