package dev.lattice.gateway.http;

import dev.lattice.auth.TokenVerifier;
import dev.lattice.core.LatticeException;
import dev.lattice.core.Principal;
import io.javalin.http.Context;

/**
 * Turns the {@code Authorization: Bearer} header into a principal; 401 when it is missing or bad.
 * User tokens are JWTs; device tokens ({@code ltd_...}) are checked by {@code devices}. Browsers
 * cannot set headers on an EventSource, so {@code .../stream} routes also take {@code ?access_token=}.
 */
public final class Authenticator {
    /** Checks a device token; a 401 {@link LatticeException} when it is not valid. */
    @FunctionalInterface
    public interface DeviceVerifier {
        Principal verify(String token);
    }

    public static final String DEVICE_PREFIX = "ltd_";
    private final TokenVerifier verifier;
    private final DeviceVerifier devices;

    public Authenticator(TokenVerifier verifier, DeviceVerifier devices) {
        this.verifier = verifier;
        this.devices = devices;
    }

    public Principal authenticate(Context ctx) {
        String token = bearer(ctx);
        return token.startsWith(DEVICE_PREFIX) ? devices.verify(token) : verifier.verify(token);
    }

    private static String bearer(Context ctx) {
        String header = ctx.header("Authorization");
        if ((header == null || header.isBlank()) && ctx.path().endsWith("/stream")) {
            String query = ctx.queryParam("access_token");
            if (query != null && !query.isBlank()) return query.trim();
        }
        if (header == null || header.isBlank()) throw LatticeException.unauthorized("missing token: send Authorization: Bearer <token>");
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) throw LatticeException.unauthorized("the Authorization header must be 'Bearer <token>'");
        return header.substring(7).trim();
    }
}
