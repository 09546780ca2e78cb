package dev.lattice.cli;

import org.junit.jupiter.api.parallel.ResourceLock;

/** Issue 5's acceptance with the process runtime: model servers are processes under the agents. */
@ResourceLock(ITResources.MODEL_FRESH)
class ModelsIT extends ModelScenarios {
    @Override
    String runtime() {
        return "process";
    }
}
