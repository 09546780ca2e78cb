package dev.lattice.api.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.SignedJWT;
import dev.lattice.bus.state.StateView;
import dev.lattice.bus.state.Versioned;
import dev.lattice.core.LatticeException;
import dev.lattice.core.Principal;
import dev.lattice.core.Role;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks a bearer token locally, against the public keys auth publishes, with no round trip:
 * signature (ES256), issuer, expiry, and a known role. Thread-safe.
 *
 * <p>Two kinds of token are signed alike: a user's login token, and an <em>assertion</em> auth makes
 * for an API key's request ({@link #ASSERTION_AUDIENCE}: it names the key, its owner and role) for
 * the gateway to forward to services in place of the key. {@link #verify} (the gateway's check of
 * what users send) refuses assertions, so one that leaks is no key to the API;
 * {@link #verifyForwarded} (a service's check of what the gateway forwards) takes both.
 */
public final class TokenVerifier {
    public static final String ISSUER = "lattice";
    /** The audience of an assertion: platform services, never the gateway's users. */
    public static final String ASSERTION_AUDIENCE = "lattice-services";
    /** The claim naming the API key an assertion stands for. */
    public static final String KEY_CLAIM = "key";
    // Long enough for a key published a moment ago to arrive, short enough that junk tokens cost little.
    private static final Duration KEY_WAIT = Duration.ofMillis(500);

    private final StateView<SigningKey> keys;
    private final Clock clock;
    private final Map<String, ECDSAVerifier> verifiers = new ConcurrentHashMap<>();
    /**
     * Tokens already verified, with what they say, until they expire: an ES256 check costs ~0.3 ms
     * of CPU, which on the inference path was most of the gateway's work per request (bench/inference).
     * A token is immutable and signed, so its verdict holds until its expiry. Bounded: when full, it
     * is emptied (the next requests verify again), never grows without limit.
     */
    private final Map<String, Verified> verified = new ConcurrentHashMap<>();
    private static final int MAX_VERIFIED = 10_000;

    private record Verified(Principal principal, java.time.Instant expires, boolean assertion) {}

    public TokenVerifier(StateView<SigningKey> keys, Clock clock) {
        this.keys = keys;
        this.clock = clock;
    }

    /** The principal a valid login token names; a 401 {@link LatticeException} for anything else (an assertion too). */
    public Principal verify(String token) {
        Verified v = verified(token);
        if (v.assertion()) throw invalid("an assertion is for platform services, not a credential");
        return v.principal();
    }

    /** The principal a valid login token or assertion names: what a service checks a forwarded credential with. */
    public Principal verifyForwarded(String token) {
        return verified(token).principal();
    }

    private Verified verified(String token) {
        Verified known = verified.get(token);
        if (known != null) {
            if (known.expires().isAfter(clock.instant())) return known;
            verified.remove(token);
        }
        return check(token);
    }

    private Verified check(String token) {
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            if (!JWSAlgorithm.ES256.equals(jwt.getHeader().getAlgorithm())) throw invalid("unexpected algorithm");
            String kid = jwt.getHeader().getKeyID();
            if (kid == null || !verifierFor(kid).map(v -> verifySignature(jwt, v)).orElse(false)) {
                throw invalid("bad signature");
            }
            var claims = jwt.getJWTClaimsSet();
            Date exp = claims.getExpirationTime();
            if (exp == null || !exp.toInstant().isAfter(clock.instant())) {
                throw LatticeException.unauthorized("the token has expired: log in again");
            }
            if (!ISSUER.equals(claims.getIssuer()) || claims.getSubject() == null) throw invalid("unexpected claims");
            String role = claims.getStringClaim("role");
            if (role == null) throw invalid("no role");
            boolean assertion = claims.getAudience() != null && claims.getAudience().contains(ASSERTION_AUDIENCE);
            String key = claims.getStringClaim(KEY_CLAIM);
            if (assertion == (key == null)) throw invalid("unexpected claims");
            Principal principal = key == null ? Principal.user(claims.getSubject(), Role.parse(role))
                    : Principal.apiKey(claims.getSubject(), Role.parse(role), key);
            Verified v = new Verified(principal, exp.toInstant(), assertion);
            if (verified.size() >= MAX_VERIFIED) verified.clear();
            verified.put(token, v);
            return v;
        } catch (ParseException e) {
            throw invalid("not a JWT");
        } catch (LatticeException e) {
            if (e.status() == 401) throw e;
            throw invalid(e.getMessage());
        }
    }

    private static boolean verifySignature(SignedJWT jwt, ECDSAVerifier verifier) {
        try {
            return jwt.verify(verifier);
        } catch (JOSEException e) {
            return false;
        }
    }

    private Optional<ECDSAVerifier> verifierFor(String kid) {
        ECDSAVerifier cached = verifiers.get(kid);
        if (cached != null) return Optional.of(cached);
        // A key published a moment ago may not have reached this view yet: wait briefly for it.
        long deadline = System.nanoTime() + KEY_WAIT.toNanos();
        Optional<Versioned<SigningKey>> key = keys.get(kid);
        while (key.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            key = keys.get(kid);
        }
        return key.map(k -> verifiers.computeIfAbsent(kid, id -> newVerifier(k.value())));
    }

    private static ECDSAVerifier newVerifier(SigningKey key) {
        try {
            return new ECDSAVerifier(ECKey.parse(key.publicJwk()).toECPublicKey());
        } catch (ParseException | JOSEException e) {
            throw new IllegalStateException("signing key " + key.kid() + " is unreadable", e);
        }
    }

    private static LatticeException invalid(String why) {
        return LatticeException.unauthorized("invalid token (" + why + ")");
    }
}
