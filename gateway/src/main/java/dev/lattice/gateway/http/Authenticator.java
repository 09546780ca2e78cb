package dev.lattice.gateway.http;

import dev.lattice.auth.TokenVerifier;
import dev.lattice.core.LatticeException;
import dev.lattice.core.Principal;
import io.javalin.http.Context;

/** Turns the {@code Authorization: Bearer} header into a principal; 401 when it is missing or bad. */
public final class Authenticator {
    private final TokenVerifier verifier;

    public Authenticator(TokenVerifier verifier) {
        this.verifier = verifier;
    }

    public Principal authenticate(Context ctx) {
        String header = ctx.header("Authorization");
        if (header == null || header.isBlank()) throw LatticeException.unauthorized("missing token: send Authorization: Bearer <token>");
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) throw LatticeException.unauthorized("the Authorization header must be 'Bearer <token>'");
        return verifier.verify(header.substring(7).trim());
    }
}
