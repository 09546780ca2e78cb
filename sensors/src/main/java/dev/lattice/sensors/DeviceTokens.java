package dev.lattice.sensors;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Device tokens: {@code ltd_<instance id>_<256 random bits>}. The instance id in the token tells
 * which instance to check against; only the SHA-256 of the token is stored. A fast hash is right
 * here (unlike passwords): the secret is random and long, so there is nothing to guess, and
 * devices present it with every reading.
 */
public final class DeviceTokens {
    public static final String PREFIX = "ltd_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private DeviceTokens() {}

    public static String newToken(String instanceId) {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        return PREFIX + instanceId + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    public static boolean looksLikeDeviceToken(String token) {
        return token != null && token.startsWith(PREFIX);
    }

    /** The instance a token claims to belong to (ids never contain '_'). */
    public static Optional<String> instanceOf(String token) {
        if (!looksLikeDeviceToken(token)) return Optional.empty();
        int end = token.indexOf('_', PREFIX.length());
        return end <= PREFIX.length() ? Optional.empty() : Optional.of(token.substring(PREFIX.length(), end));
    }

    public static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** Constant-time comparison of a presented token with a stored hash. */
    public static boolean matches(String token, String storedHash) {
        if (token == null || storedHash == null) return false;
        return MessageDigest.isEqual(hash(token).getBytes(StandardCharsets.US_ASCII), storedHash.getBytes(StandardCharsets.US_ASCII));
    }
}
