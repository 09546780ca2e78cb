package dev.lattice.auth.tokens;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.lattice.api.auth.AuthCommands;
import dev.lattice.api.auth.AuthCommands.Assertion;
import dev.lattice.api.auth.AuthCommands.LoginResponse;
import dev.lattice.api.auth.SigningKey;
import dev.lattice.api.auth.TokenVerifier;
import dev.lattice.bus.state.StateOwner;
import dev.lattice.bus.state.Versioned;
import dev.lattice.core.LatticeException;
import dev.lattice.core.Principal;
import dev.lattice.core.Role;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signs tokens with a key pair made when this auth instance starts. Its public half is published
 * before the first token is signed; keys of earlier instances are marked to retire once the
 * tokens they signed can no longer be valid, and removed after that. Thread-safe.
 */
public final class TokenIssuer {
    private static final Logger log = LoggerFactory.getLogger(TokenIssuer.class);

    private final ECKey key;
    private final ECDSASigner signer;
    private final Duration ttl;
    private final Clock clock;

    private TokenIssuer(ECKey key, Duration ttl, Clock clock) throws JOSEException {
        this.key = key;
        this.signer = new ECDSASigner(key);
        this.ttl = ttl;
        this.clock = clock;
    }

    /** Makes a fresh key, publishes it, and tidies the keys of earlier instances. */
    public static TokenIssuer start(StateOwner<SigningKey> keys, Duration ttl, Clock clock) {
        try {
            ECKey key = new ECKeyGenerator(Curve.P_256).keyID(UUID.randomUUID().toString()).generate();
            Instant now = clock.instant();
            for (Versioned<SigningKey> old : keys.view().list()) {
                if (old.value().retireAt() == null) {
                    keys.update(old.name(), old.version(), old.value().retiring(now.plus(ttl)), "auth");
                } else if (old.value().retireAt().isBefore(now)) {
                    keys.delete(old.name(), old.version(), "auth");
                }
            }
            keys.create(key.getKeyID(), new SigningKey(key.getKeyID(), key.toPublicJWK().toJSONString(), now, null), "auth");
            log.info("signing key {} published; tokens live {}", key.getKeyID(), ttl);
            return new TokenIssuer(key, ttl, clock);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot make a signing key", e);
        }
    }

    public LoginResponse issue(String username, Role role) {
        Instant expires = clock.instant().plus(ttl);
        return new LoginResponse(sign(claims(username, role, expires).build()), role, seconds(expires));
    }

    /**
     * An assertion that a request acts for {@code key} (a principal proven by its API key), until
     * {@code until} at the latest: for the gateway to forward to services instead of the key.
     */
    public Assertion assertion(Principal key, Instant until) {
        if (key.kind() != Principal.Kind.USER || key.key() == null) {
            throw LatticeException.badRequest("auth:assert.not-a-key", "only a request made with an API key needs an assertion");
        }
        Instant expires = clock.instant().plus(AuthCommands.ASSERTION_TTL);
        if (until.isBefore(expires)) expires = until;
        JWTClaimsSet claims = claims(key.name(), key.role(), expires).audience(TokenVerifier.ASSERTION_AUDIENCE)
                .claim(TokenVerifier.KEY_CLAIM, key.key()).build();
        return new Assertion(sign(claims), seconds(expires));
    }

    private JWTClaimsSet.Builder claims(String subject, Role role, Instant expires) {
        return new JWTClaimsSet.Builder()
                .issuer(TokenVerifier.ISSUER)
                .subject(subject)
                .claim("role", role.wireName())
                .issueTime(Date.from(clock.instant()))
                .expirationTime(Date.from(expires))
                .jwtID(UUID.randomUUID().toString());
    }

    // JWT times have whole seconds; report the same instant the token holds.
    private static Instant seconds(Instant t) {
        return Instant.ofEpochSecond(t.getEpochSecond());
    }

    private String sign(JWTClaimsSet claims) {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(), claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a token", e);
        }
        return jwt.serialize();
    }
}
