package dev.lattice.http;

import dev.lattice.core.LatticeException;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

/**
 * A platform-issued credential for internal HTTP (DESIGN.md "Trust boundaries": no port answers
 * without authorisation but the gateway, MQTT and {@code /metrics}). The service that starts a
 * server makes a random key and gives it only to the platform processes that call it; the server
 * refuses every request that does not present it, so reaching a host's network is not enough.
 *
 * <p>The key is compared in constant time, and never named in an answer or a log line.
 */
public final class ServiceKey {
    /** 256 random bits, base64url without padding: 43 characters. */
    private static final int BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] expected;

    private ServiceKey(String key) {
        if (key == null || key.length() < 32) throw new IllegalArgumentException("a service key must have at least 32 characters");
        this.expected = key.getBytes(StandardCharsets.UTF_8);
    }

    public static ServiceKey of(String key) {
        return new ServiceKey(key);
    }

    /** A fresh random key. */
    public static String generate() {
        byte[] bytes = new byte[BYTES];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Whether {@code presented} is the key, in time that does not depend on where they differ. */
    public boolean matches(String presented) {
        if (presented == null) return false;
        return MessageDigest.isEqual(expected, presented.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A Javalin before-handler: 401 unless {@code header} carries the key ({@code Bearer <key>} for
     * {@code Authorization}, the bare key for any other header); the paths in {@code open} pass.
     * The exception becomes the server's problem+json.
     */
    public io.javalin.http.Handler guard(String header, Set<String> open) {
        boolean bearer = header.equalsIgnoreCase("Authorization");
        return ctx -> {
            if (open.contains(ctx.path())) return;
            if (!matches(presented(ctx, header, bearer))) {
                throw LatticeException.unauthorized("this internal port answers platform processes only: "
                        + (bearer ? "send Authorization: Bearer <the platform's key>" : "send " + header + ": <the platform's key>"));
            }
        };
    }

    private static String presented(Context ctx, String header, boolean bearer) {
        String value = ctx.header(header);
        if (value == null) return null;
        if (!bearer) return value.trim();
        return Bearer.token(value).orElse(null);
    }

    @Override
    public String toString() {
        return "ServiceKey(***)";
    }
}
