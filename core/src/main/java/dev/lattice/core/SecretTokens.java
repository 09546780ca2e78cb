package dev.lattice.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Opaque bearer tokens that name what they belong to: {@code <prefix><id>_<256-bit secret>}, kept
 * by the platform only as their SHA-256. Device tokens ({@code ltd_}) and app instance tokens
 * ({@code lta_}) are made here; deleting the object they name revokes them. Ids never contain
 * {@code '_'}, so the id is read back unambiguously. Thread-safe.
 */
public final class SecretTokens {
    private static final SecureRandom RANDOM = new SecureRandom();

    private SecretTokens() {}

    public static String newToken(String prefix, String id) {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        return prefix + id + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    /** A new id for a token's record: 12 hex digits (48 random bits), never a {@code '_'}. */
    public static String newId() {
        byte[] b = new byte[6];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** The id a token claims to belong to, if it has the prefix and a well-formed id. */
    public static Optional<String> idOf(String prefix, String token) {
        if (token == null || !token.startsWith(prefix)) return Optional.empty();
        int end = token.indexOf('_', prefix.length());
        return end <= prefix.length() ? Optional.empty() : Optional.of(token.substring(prefix.length(), end));
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
