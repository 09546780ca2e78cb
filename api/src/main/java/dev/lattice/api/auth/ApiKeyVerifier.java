package dev.lattice.api.auth;

import dev.lattice.bus.state.StateView;
import dev.lattice.bus.state.Versioned;
import dev.lattice.core.LatticeException;
import dev.lattice.core.Principal;
import dev.lattice.core.SecretTokens;
import java.time.Clock;

/**
 * Checks an API key locally against a view of the keys auth keeps: known id, matching hash
 * (constant time), not expired. No cache: a SHA-256 costs ~1 µs, and a deleted key must be refused
 * the moment its deletion reaches the view. Thread-safe.
 */
public final class ApiKeyVerifier {
    private final StateView<ApiKey> keys;
    private final Clock clock;

    public ApiKeyVerifier(StateView<ApiKey> keys, Clock clock) {
        this.keys = keys;
        this.clock = clock;
    }

    /** The key's owner with the key's role; a 401 {@link LatticeException} for an unknown, deleted or expired key. */
    public Principal verify(String token) {
        ApiKey key = SecretTokens.idOf(ApiKey.PREFIX, token).flatMap(keys::get).map(Versioned::value)
                .filter(k -> SecretTokens.matches(token, k.sha256()))
                .orElseThrow(() -> LatticeException.unauthorized("invalid API key (unknown or deleted)"));
        if (!key.usableAt(clock.instant())) throw LatticeException.unauthorized("the API key has expired: make a new one");
        return Principal.apiKey(key.owner(), key.role(), key.id());
    }
}
