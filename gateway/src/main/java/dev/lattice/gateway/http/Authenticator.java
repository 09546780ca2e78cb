package dev.lattice.gateway.http;

import dev.lattice.api.apps.AppInstance;
import dev.lattice.api.auth.ApiKey;
import dev.lattice.api.auth.ApiKeyVerifier;
import dev.lattice.api.auth.TokenVerifier;
import dev.lattice.api.sensors.DeviceTokens;
import dev.lattice.core.AppScope;
import dev.lattice.core.LatticeException;
import dev.lattice.core.Principal;
import dev.lattice.http.Bearer;
import io.javalin.http.Context;

/**
 * Turns the {@code Authorization: Bearer} header into a principal; 401 when it is missing or bad.
 * User tokens are JWTs; device tokens ({@code ltd_...}) are checked by {@code devices}, API keys
 * ({@code ltk_...}) by {@code keys}. Browsers
 * cannot set headers on an EventSource, so {@code .../stream} routes also take {@code ?access_token=}.
 */
public final class Authenticator {
    /** Checks a device token; a 401 {@link LatticeException} when it is not valid. */
    @FunctionalInterface
    public interface DeviceVerifier {
        Principal verify(String token);
    }

    /** Checks an app instance token and tells what it may touch. */
    public interface AppVerifier {
        /** The instance's principal; a 401 {@link LatticeException} when the token is not valid. */
        Principal verify(String token);

        /** The scope of a verified instance, or null if it has gone since. */
        AppScope scope(String instanceId);
    }

    public static final String DEVICE_PREFIX = DeviceTokens.PREFIX;
    public static final String APP_PREFIX = AppInstance.TOKEN_PREFIX;
    private final TokenVerifier verifier;
    private final DeviceVerifier devices;
    private final AppVerifier apps;
    private final ApiKeyVerifier keys;

    public Authenticator(TokenVerifier verifier, DeviceVerifier devices, AppVerifier apps, ApiKeyVerifier keys) {
        this.verifier = verifier;
        this.keys = keys;
        this.devices = devices;
        this.apps = apps;
    }

    public Principal authenticate(Context ctx) {
        String token = bearer(ctx);
        if (token.startsWith(DEVICE_PREFIX)) return devices.verify(token);
        if (token.startsWith(APP_PREFIX)) return apps.verify(token);
        if (token.startsWith(ApiKey.PREFIX)) return keys.verify(token);
        return verifier.verify(token);
    }

    /** The scope of an app principal, for the route check. */
    public AppScope scopeOf(Principal app) {
        return apps.scope(app.name());
    }

    /**
     * The credential the request was authenticated with, for a service that verifies whom it acts for
     * (auth: see its CallerCheck); null when there is none.
     */
    public static String credential(Context ctx) {
        try {
            return bearer(ctx);
        } catch (LatticeException none) {
            return null;
        }
    }

    private static String bearer(Context ctx) {
        String header = ctx.header("Authorization");
        if ((header == null || header.isBlank()) && ctx.path().endsWith("/stream")) {
            String query = ctx.queryParam("access_token");
            if (query != null && !query.isBlank()) return query.trim();
        }
        return Bearer.token(header)
                .orElseThrow(() -> LatticeException.unauthorized("missing token: send Authorization: Bearer <token>"));
    }
}
