package dev.lattice.nodes;

import dev.lattice.core.Env;
import java.time.Duration;
import java.util.Map;

/**
 * The node manager's one setting: how long an agent may be silent before its node is NOT_READY
 * ({@code LATTICE_NODE_SILENCE_MS}, default 3000: three missed one-second reports).
 */
public record NodesConfig(Duration silence) {
    public static NodesConfig fromEnv(Map<String, String> env) {
        return new NodesConfig(Env.of(env).millis("LATTICE_NODE_SILENCE_MS", 3000));
    }
}
