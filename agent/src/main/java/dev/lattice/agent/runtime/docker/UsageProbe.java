package dev.lattice.agent.runtime.docker;

import dev.lattice.agent.runtime.RunningWorkload.Usage;

/** Where a container's CPU and memory figures come from: its cgroup files (local engine) or a stats stream (remote). */
interface UsageProbe extends AutoCloseable {
    /** The latest figures, {@link Usage#NONE} if none are known; never blocks on the engine. */
    Usage read();

    @Override
    default void close() {}
}
