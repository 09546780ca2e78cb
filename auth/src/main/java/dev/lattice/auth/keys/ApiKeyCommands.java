package dev.lattice.auth.keys;

import dev.lattice.api.auth.ApiKey;
import dev.lattice.api.auth.AuthCommands;
import dev.lattice.api.auth.AuthCommands.ApiKeyId;
import dev.lattice.api.auth.AuthCommands.Assertion;
import dev.lattice.api.auth.AuthCommands.IssuedApiKey;
import dev.lattice.api.auth.AuthCommands.NewApiKey;
import dev.lattice.auth.tokens.TokenIssuer;
import dev.lattice.bus.rpc.Handler;
import dev.lattice.bus.rpc.Request;
import dev.lattice.bus.state.StateOwner;
import dev.lattice.bus.state.Versioned;
import dev.lattice.core.LatticeException;
import dev.lattice.core.Principal;
import dev.lattice.core.Role;
import dev.lattice.core.SecretTokens;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * API keys for scripts and CI. A user makes keys for themself with their own role (an admin with any
 * role: "at most the caller's role", and roles other than admin are not ordered); every key expires
 * (90 days unless asked, at most a year). A key cannot make, list or delete keys: a leaked key must
 * not outlive its own expiry by minting another.
 */
public final class ApiKeyCommands {
    private static final Logger log = LoggerFactory.getLogger(ApiKeyCommands.class);

    private final StateOwner<ApiKey> keys;
    private final TokenIssuer issuer;
    private final Clock clock;

    public ApiKeyCommands(StateOwner<ApiKey> keys, TokenIssuer issuer, Clock clock) {
        this.keys = keys;
        this.issuer = issuer;
        this.clock = clock;
    }

    public Map<String, Handler> handlers() {
        return Map.of(
                AuthCommands.CREATE_API_KEY, this::create,
                AuthCommands.LIST_API_KEYS, this::list,
                AuthCommands.DELETE_API_KEY, this::delete,
                AuthCommands.ASSERT, this::assertion);
    }

    /** The request's key was proven by the caller check; the assertion lives no longer than the key. */
    Assertion assertion(Request request) {
        Principal caller = request.principal();
        ApiKey key = caller.key() == null ? null : keys.view().get(caller.key()).map(Versioned::value).orElse(null);
        if (key == null) {
            throw LatticeException.badRequest("auth:assert.not-a-key", "only a request made with an API key needs an assertion");
        }
        return issuer.assertion(caller, key.expiresAt());
    }

    IssuedApiKey create(Request request) {
        Principal caller = owner(request);
        NewApiKey in = request.payload(NewApiKey.class);
        if (in == null) throw LatticeException.badRequest("core:field.missing", "name: is required");
        Role role = in.role() == null ? caller.role() : in.role();
        if (role != caller.role() && caller.role() != Role.ADMIN) {
            throw LatticeException.forbidden("role: a key may have at most your own role ('" + caller.role().wireName() + "')");
        }
        Instant now = clock.instant();
        Instant expiresAt = in.expiresAt() == null ? now.plus(AuthCommands.API_KEY_DEFAULT_TTL) : in.expiresAt();
        if (!expiresAt.isAfter(now)) {
            throw LatticeException.badRequest("auth:api-key.expires", "expiresAt: " + expiresAt + " is not in the future");
        }
        if (expiresAt.isAfter(now.plus(AuthCommands.API_KEY_MAX_TTL))) {
            throw LatticeException.badRequest("auth:api-key.expires", "expiresAt: at most " + AuthCommands.API_KEY_MAX_TTL.toDays() + " days ahead");
        }
        String id = SecretTokens.newId();
        String key = SecretTokens.newToken(ApiKey.PREFIX, id);
        keys.create(id, new ApiKey(id, in.name(), caller.name(), role, SecretTokens.hash(key), now, expiresAt), caller.name());
        log.info("API key {} ('{}', role {}) made by {}", id, in.name(), role.wireName(), caller.name());
        return new IssuedApiKey(id, key, in.name(), role, expiresAt);
    }

    List<ApiKey.Info> list(Request request) {
        Principal caller = owner(request);
        return keys.view().list().stream().map(Versioned::value)
                .filter(k -> caller.role() == Role.ADMIN || k.owner().equals(caller.name()))
                .map(ApiKey::info).sorted(Comparator.comparing(ApiKey.Info::createdAt).reversed()).toList();
    }

    ApiKey.Info delete(Request request) {
        Principal caller = owner(request);
        ApiKeyId in = request.payload(ApiKeyId.class);
        String id = in == null || in.id() == null ? "" : in.id();
        // Another user's key is "not found" to a non-admin: its existence is not theirs to learn.
        Versioned<ApiKey> current = keys.view().get(id)
                .filter(k -> caller.role() == Role.ADMIN || k.value().owner().equals(caller.name()))
                .orElseThrow(() -> LatticeException.notFound("auth:api-key.not-found", "API key '" + id + "' does not exist"));
        keys.delete(id, current.version(), caller.name());
        log.info("API key {} deleted by {}", id, caller.name());
        return current.value().info();
    }

    private static Principal owner(Request request) {
        Principal caller = request.principal();
        if (caller.kind() != Principal.Kind.USER || caller.role() == null) {
            throw LatticeException.forbidden(caller.kind().name().toLowerCase() + " '" + caller.name() + "' may not manage API keys");
        }
        if (caller.key() != null) throw LatticeException.forbidden("an API key may not manage API keys: log in with a password");
        return caller;
    }
}
