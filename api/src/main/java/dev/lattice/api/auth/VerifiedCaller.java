package dev.lattice.api.auth;

import dev.lattice.bus.Bus;
import dev.lattice.bus.rpc.RequestServer;
import dev.lattice.bus.state.StateView;
import dev.lattice.core.LatticeException;
import dev.lattice.core.Principal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a platform service decides whom a request lets it act for, instead of taking the claim:
 * <ul>
 *   <li>a service acting on its own behalf is believed only on its lane (a request topic that only
 *       that service's Kafka user may write: {@code PlatformServices.CALLS});</li>
 *   <li>a user (or an API key) only with a credential that proves exactly that principal: the login
 *       token, or auth's assertion for the key, both signed by auth and checked here locally;</li>
 *   <li>a device or an app instance only with its own token, where this service can check one
 *       ({@link #with}); elsewhere such a claim is refused;</li>
 *   <li>nobody as nobody, whatever role the claim names.</li>
 * </ul>
 * So a process holding the gateway's Kafka user (the service that parses whatever users send) can
 * make a service act for no one but the users whose credentials it is shown. Thread-safe.
 */
public final class VerifiedCaller implements RequestServer.PrincipalCheck {
    /** Checks a raw token of one kind; a 401 {@link LatticeException} when it is not valid. */
    @FunctionalInterface
    public interface TokenCheck {
        Principal verify(String token);
    }

    private final TokenVerifier tokens;
    private final Map<String, TokenCheck> byPrefix;

    private VerifiedCaller(TokenVerifier tokens, Map<String, TokenCheck> byPrefix) {
        this.tokens = tokens;
        this.byPrefix = Map.copyOf(byPrefix);
    }

    public static VerifiedCaller of(TokenVerifier tokens) {
        return new VerifiedCaller(tokens, Map.of());
    }

    /** Follows auth's public keys on {@code bus} (caught up before it answers) to check tokens with. */
    public static VerifiedCaller follow(Bus bus) {
        StateView<SigningKey> keys = bus.view(SigningKey.KIND, SigningKey.class);
        keys.awaitCaughtUp(Duration.ofSeconds(60));
        return of(new TokenVerifier(keys, bus.clock()));
    }

    /** Also takes raw tokens starting with {@code prefix} (a device's, an app instance's), checked by {@code check}. */
    public VerifiedCaller with(String prefix, TokenCheck check) {
        Map<String, TokenCheck> more = new LinkedHashMap<>(byPrefix);
        more.put(prefix, check);
        return new VerifiedCaller(tokens, more);
    }

    @Override
    public Principal verified(Principal claimed, String credential, String lane) {
        if (claimed.kind() == Principal.Kind.SERVICE) {
            if (lane != null && claimed.equals(Principal.service(lane))) return claimed;
            throw LatticeException.unauthorized(lane == null
                    ? "a request claiming service '" + claimed.name() + "' came on the main request topic, not on that service's lane"
                    : "a request on the lane of '" + lane + "' claims service '" + claimed.name() + "'");
        }
        // The canonical one, not the claim: an "anonymous" that says it has a role gets none.
        if (claimed.kind() == Principal.Kind.ANONYMOUS) return Principal.ANONYMOUS;
        if (credential == null || credential.isBlank()) {
            throw LatticeException.unauthorized("a request acting for " + claimed.auditName() + " carries no credential of theirs");
        }
        Principal proven = proven(credential);
        if (!proven.equals(claimed)) {
            throw LatticeException.unauthorized("the request claims " + claimed.auditName() + " but its credential is "
                    + proven.auditName() + "'s");
        }
        return proven;
    }

    private Principal proven(String credential) {
        for (var e : byPrefix.entrySet()) {
            if (credential.startsWith(e.getKey())) return e.getValue().verify(credential);
        }
        if (credential.startsWith(ApiKey.PREFIX)) {
            throw LatticeException.unauthorized("an API key is not forwarded to services: the gateway sends auth's assertion for it");
        }
        return tokens.verifyForwarded(credential);
    }
}
