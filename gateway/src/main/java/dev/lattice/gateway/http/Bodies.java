package dev.lattice.gateway.http;

import dev.lattice.core.Json;
import dev.lattice.core.LatticeException;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Reads request bodies within a size limit, whatever the client claims in Content-Length. */
public final class Bodies {
    private final long maxBytes;

    public Bodies(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    public <T> T json(Context ctx, Class<T> type) {
        byte[] body = bytes(ctx);
        if (body.length == 0) throw LatticeException.badRequest("core:body.missing", "body: a JSON object is required");
        return Json.parse(body, type);
    }

    public byte[] bytes(Context ctx) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxBytes) throw tooLarge();
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            if (body.length > maxBytes) throw tooLarge();
            return body;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the request body", e);
        }
    }

    private LatticeException tooLarge() {
        return LatticeException.tooLarge("body: larger than the limit of " + maxBytes + " bytes");
    }
}
