package dev.lattice.cli;

import dev.lattice.agent.runtime.WorkloadRuntime;

/** The Docker runtime, made on demand: a process-runtime node never touches Docker. */
final class Runtimes {
    private Runtimes() {}

    static WorkloadRuntime docker() {
        throw new IllegalArgumentException("the docker runtime is not built into this version yet");
    }
}
