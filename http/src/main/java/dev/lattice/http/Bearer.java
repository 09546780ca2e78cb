package dev.lattice.http;

import dev.lattice.core.LatticeException;
import java.util.Optional;

/** The one reading of an {@code Authorization: Bearer <token>} header (RFC 6750), for every server. */
public final class Bearer {
    private static final String SCHEME = "Bearer ";

    private Bearer() {}

    /**
     * The token in an {@code Authorization} header's value: empty when there is none; a 401 when the
     * header uses another scheme or carries no token, so that a client learns what to send.
     */
    public static Optional<String> token(String header) {
        if (header == null || header.isBlank()) return Optional.empty();
        // The scheme is case-insensitive (RFC 9110, 11.1).
        if (!header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            throw LatticeException.unauthorized("the Authorization header must be 'Bearer <token>'");
        }
        String token = header.substring(SCHEME.length()).trim();
        if (token.isEmpty()) throw LatticeException.unauthorized("the Authorization header carries no token after 'Bearer'");
        return Optional.of(token);
    }

    /** The header's value for {@code token}. */
    public static String header(String token) {
        return SCHEME + token;
    }
}
