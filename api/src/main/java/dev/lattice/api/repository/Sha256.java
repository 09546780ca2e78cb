package dev.lattice.api.repository;

import dev.lattice.core.LatticeException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The content address of an artefact: 64 lowercase hex digits of its SHA-256. One spelling only,
 * so that a hash is also a file name, a URL segment and an ETag without normalising.
 */
public final class Sha256 {
    private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");

    private Sha256() {}

    public static boolean isValid(String hash) {
        return hash != null && HEX.matcher(hash).matches();
    }

    /** Returns {@code hash} if it is well formed; a 400 {@link LatticeException} naming the field otherwise. */
    public static String require(String hash) {
        if (!isValid(hash)) {
            String shown = hash == null ? "nothing" : "'" + (hash.length() > 80 ? hash.substring(0, 80) + "..." : hash) + "'";
            throw LatticeException.badRequest("repository:sha256.malformed",
                    "sha256: " + shown + " is not a SHA-256 (64 lowercase hex digits)");
        }
        return hash;
    }

    /** A fresh digest; SHA-256 is required of every JDK, so its absence is a broken runtime. */
    public static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no SHA-256", e);
        }
    }

    public static String hex(MessageDigest digest) {
        return HexFormat.of().formatHex(digest.digest());
    }
}
