package dev.lattice.api.auth;

import java.time.Instant;

/**
 * A public token-verification key, published by an auth instance on {@code lattice.state.signing-key}.
 * The private half never leaves that instance's memory: a restarted auth makes a new pair, and
 * the old public key stays published ({@code retireAt}) until every token it signed has expired.
 *
 * @param publicJwk the public key as a JSON Web Key
 */
public record SigningKey(String kid, String publicJwk, Instant createdAt, Instant retireAt) {
    public static final String KIND = "signing-key";

    public SigningKey retiring(Instant at) {
        return new SigningKey(kid, publicJwk, createdAt, at);
    }
}
