package dev.lattice.cli;

import dev.lattice.agent.runtime.WorkloadRuntime;

/** The Docker runtime, made on demand: a process-runtime node never touches Docker. */
final class Runtimes {
    private Runtimes() {}

    static WorkloadRuntime docker() {
        try {
            return dev.lattice.agent.runtime.docker.DockerRuntime.connect();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("no Docker engine: " + e.getMessage(), e);
        }
    }
}
