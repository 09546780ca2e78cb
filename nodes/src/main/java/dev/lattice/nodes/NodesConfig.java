package dev.lattice.nodes;

import java.time.Duration;
import java.util.Map;

/**
 * The node manager's one setting: how long an agent may be silent before its node is NOT_READY
 * ({@code LATTICE_NODE_SILENCE_MS}, default 3000: three missed one-second reports).
 */
public record NodesConfig(Duration silence) {
    public static NodesConfig fromEnv(Map<String, String> env) {
        return new NodesConfig(Duration.ofMillis(Long.parseLong(env.getOrDefault("LATTICE_NODE_SILENCE_MS", "3000"))));
    }
}
