package dev.lattice.nodes;

import dev.lattice.core.Env;
import java.time.Duration;
import java.util.Map;

/**
 * The node manager's settings.
 *
 * @param silence             how long an agent may be silent before its node is NOT_READY
 *                            ({@code LATTICE_NODE_SILENCE_MS}, default 3000: three missed one-second reports)
 * @param initialJoinTokenSha256 the SHA-256 of the join token {@code lattice up} keeps in {@code DATA/join-token}
 *                            ({@code LATTICE_JOIN_TOKEN_SHA256}), made a join token once; null for none
 */
public record NodesConfig(Duration silence, String initialJoinTokenSha256) {
    public NodesConfig {
        if (initialJoinTokenSha256 != null && !initialJoinTokenSha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("LATTICE_JOIN_TOKEN_SHA256: not a SHA-256 in hex");
        }
    }

    public static NodesConfig fromEnv(Map<String, String> env) {
        Env e = Env.of(env);
        return new NodesConfig(e.millis("LATTICE_NODE_SILENCE_MS", 3000), e.string("LATTICE_JOIN_TOKEN_SHA256", null));
    }
}
