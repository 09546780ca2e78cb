package dev.lattice.deployer;

import dev.lattice.core.Env;
import java.time.Duration;
import java.util.Map;

/**
 * How long a node may be NOT_READY before its workloads are moved elsewhere
 * ({@code LATTICE_NODE_LOST_AFTER_MS}, default 5000). Shorter moves faster but risks moving
 * workloads away from a node that only paused (a long GC, a busy host).
 */
public record DeployerConfig(Duration lostAfter) {
    public static DeployerConfig fromEnv(Map<String, String> env) {
        return new DeployerConfig(Env.of(env).millis("LATTICE_NODE_LOST_AFTER_MS", 5000));
    }
}
