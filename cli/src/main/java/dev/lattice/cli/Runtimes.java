package dev.lattice.cli;

import dev.lattice.agent.runtime.WorkloadRuntime;

/** The Docker runtime, made on demand: a process-runtime node never touches Docker. */
final class Runtimes {
    private Runtimes() {}

    /**
     * What the engine offers, when it runs on another machine (a remote Docker server made a node):
     * its cores and memory, not this machine's. Empty for a local engine or the process runtime.
     */
    static java.util.Optional<dev.lattice.agent.runtime.docker.DockerRuntime.Capacity> remoteCapacity(WorkloadRuntime rt) {
        if (rt instanceof dev.lattice.agent.runtime.docker.DockerRuntime d && !d.isLocal()) return d.capacity();
        return java.util.Optional.empty();
    }

    static WorkloadRuntime docker() {
        try {
            return dev.lattice.agent.runtime.docker.DockerRuntime.connect();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("no Docker engine: " + e.getMessage(), e);
        }
    }
}
