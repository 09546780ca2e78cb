package dev.lattice.gateway.http;

import dev.lattice.api.auth.ApiKey;
import dev.lattice.api.auth.AuthCommands;
import dev.lattice.api.auth.AuthCommands.Assertion;
import dev.lattice.bus.rpc.RequestClient;
import dev.lattice.core.Principal;
import dev.lattice.gateway.audit.Auditor;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the gateway sends a service to prove whom a call acts for (services verify it, see
 * {@code VerifiedCaller}): the user's login token as it came; for an API key, auth's short-lived
 * assertion of it, never the key, which would otherwise reach every service a key's user touches;
 * a device's or an app instance's token as it came (only the sensors service, which can check them,
 * receives such calls). Assertions are kept per key until shortly before they expire, so a key
 * costs one round trip to auth per {@link AuthCommands#ASSERTION_TTL}, not one per call. Thread-safe.
 */
public final class Forwarding {
    private static final String ATTRIBUTE = "lattice.forwarding";
    /** An assertion must outlive the call it goes with: the longest call's deadline (an upload's check, 2 minutes) and the bus's delays. */
    private static final Duration MARGIN = Duration.ofSeconds(150);
    private static final int MAX_KEPT = 10_000;

    private final RequestClient client;
    private final Clock clock;
    private final Map<String, Assertion> assertions = new ConcurrentHashMap<>();

    public Forwarding(RequestClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    /** Done by {@link Api} for each authenticated request, so that routes can call {@link #credential(Context)}. */
    void attach(Context ctx) {
        ctx.attribute(ATTRIBUTE, this);
    }

    /** The credential for a service call made while answering {@code ctx}; null for an anonymous request. */
    public static String credential(Context ctx) {
        Forwarding forwarding = ctx.attribute(ATTRIBUTE);
        Principal principal = ctx.attribute(Auditor.PRINCIPAL);
        if (forwarding == null || principal == null || principal.kind() == Principal.Kind.ANONYMOUS) return null;
        return forwarding.forward(Authenticator.credential(ctx), principal);
    }

    String forward(String credential, Principal principal) {
        if (credential == null || !credential.startsWith(ApiKey.PREFIX)) return credential;
        Assertion kept = assertions.get(credential);
        if (kept != null && kept.expiresAt().isAfter(clock.instant().plus(MARGIN))) return kept.token();
        Assertion fresh = client.call(AuthCommands.SERVICE, AuthCommands.ASSERT, null, principal, credential, Assertion.class);
        if (assertions.size() >= MAX_KEPT) assertions.clear(); // bounded: the next calls ask again
        assertions.put(credential, fresh);
        return fresh.token();
    }
}
