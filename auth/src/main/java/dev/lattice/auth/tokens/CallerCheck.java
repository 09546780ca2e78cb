package dev.lattice.auth.tokens;

import dev.lattice.api.auth.ApiKey;
import dev.lattice.api.auth.ApiKeyVerifier;
import dev.lattice.api.auth.TokenVerifier;
import dev.lattice.bus.rpc.RequestServer;
import dev.lattice.core.LatticeException;
import dev.lattice.core.Principal;

/**
 * Auth acts for a user only on that user's own credential, carried with the request: a login token
 * (signed here) or an API key (kept here), checked as the gateway checked it, and the principal it
 * proves must be the one the request claims. Kafka's ACLs already let only the gateway write auth's
 * request topic; this is what keeps a process holding the gateway's Kafka user (the service that
 * parses whatever users send) from making auth create an admin or mint keys for one. Anonymous
 * requests (a login) prove themselves with the password they carry.
 */
public final class CallerCheck implements RequestServer.PrincipalCheck {
    private final TokenVerifier tokens;
    private final ApiKeyVerifier apiKeys;

    public CallerCheck(TokenVerifier tokens, ApiKeyVerifier apiKeys) {
        this.tokens = tokens;
        this.apiKeys = apiKeys;
    }

    @Override
    public Principal verified(Principal claimed, String credential, String lane) {
        // The canonical one, not the claim: an "anonymous" that says it has a role gets none.
        if (claimed.kind() == Principal.Kind.ANONYMOUS) return Principal.ANONYMOUS;
        if (credential == null || credential.isBlank()) {
            throw LatticeException.unauthorized("a request acting for " + claimed.auditName() + " carries no credential of theirs");
        }
        Principal proven = credential.startsWith(ApiKey.PREFIX) ? apiKeys.verify(credential) : tokens.verify(credential);
        if (!proven.equals(claimed)) {
            throw LatticeException.unauthorized("the request claims " + claimed.auditName() + " but its credential is "
                    + proven.auditName() + "'s");
        }
        return proven;
    }
}
