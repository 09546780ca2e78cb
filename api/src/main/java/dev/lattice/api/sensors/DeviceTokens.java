package dev.lattice.api.sensors;

import dev.lattice.bus.state.StateView;
import dev.lattice.bus.state.Versioned;
import dev.lattice.core.LatticeException;
import dev.lattice.core.Principal;
import dev.lattice.core.SecretTokens;
import java.util.Optional;

/**
 * Device tokens: {@code ltd_<instance id>_<256 random bits>}. The instance id in the token tells
 * which instance to check against; only the SHA-256 of the token is stored. A fast hash is right
 * here (unlike passwords): the secret is random and long, so there is nothing to guess, and
 * devices present it with every reading.
 */
public final class DeviceTokens {
    public static final String PREFIX = "ltd_";

    private DeviceTokens() {}

    public static String newToken(String instanceId) {
        return SecretTokens.newToken(PREFIX, instanceId);
    }

    public static boolean looksLikeDeviceToken(String token) {
        return token != null && token.startsWith(PREFIX);
    }

    /** The instance a token claims to belong to (ids never contain '_'). */
    public static Optional<String> instanceOf(String token) {
        return SecretTokens.idOf(PREFIX, token);
    }

    public static String hash(String token) {
        return SecretTokens.hash(token);
    }

    /**
     * The device a token proves, checked against the sensors and controllers known (the gateway's
     * views, or the sensors service's own); a 401 {@link LatticeException} for anything else.
     */
    public static Principal verify(StateView<Device> sensors, StateView<Device> controllers, String token) {
        String id = instanceOf(token).orElseThrow(() -> LatticeException.unauthorized("invalid device token"));
        Device device = sensors.get(id).or(() -> controllers.get(id)).map(Versioned::value).orElse(null);
        if (device == null || !matches(token, device.tokenHash())) throw LatticeException.unauthorized("invalid device token");
        return Principal.device(id);
    }

    /** Constant-time comparison of a presented token with a stored hash. */
    public static boolean matches(String token, String storedHash) {
        return SecretTokens.matches(token, storedHash);
    }
}
