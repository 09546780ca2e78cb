package dev.lattice.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Issue 4's acceptance on the Docker runtime, against the real local engine: every workload,
 * and every platform service, is a container. Skipped on a machine without Docker unless
 * {@code LATTICE_REQUIRE_DOCKER=1} (as CI sets), which makes a missing engine a failure.
 */
@ResourceLock(ITResources.DOCKER)
@ResourceLock(ITResources.SLEEPERS)
@ResourceLock(ITResources.CPU_MEASURED)
class DockerNodesIT extends NodeScenarios {
    @BeforeAll
    static void needsDocker() {
        DockerEngine.requireOrSkip();
    }

    @Override
    String runtime() {
        return "docker";
    }
}
