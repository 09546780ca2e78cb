package dev.lattice.cli;

import org.junit.jupiter.api.parallel.ResourceLock;

/** Issue 4's acceptance on the process runtime (the default of {@code lattice up}). */
@ResourceLock(ITResources.SLEEPERS)
@ResourceLock(ITResources.CPU_MEASURED)
class NodesIT extends NodeScenarios {
    @Override
    String runtime() {
        return "process";
    }
}
