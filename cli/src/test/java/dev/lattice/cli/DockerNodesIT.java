package dev.lattice.cli;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;

/**
 * Issue 4's acceptance on the Docker runtime, against the real local engine: every workload,
 * and every platform service, is a container. Skipped on a machine without Docker unless
 * {@code LATTICE_REQUIRE_DOCKER=1} (as CI sets), which makes a missing engine a failure.
 */
class DockerNodesIT extends NodeScenarios {
    @BeforeAll
    static void needsDocker() {
        boolean present = java.nio.file.Files.exists(java.nio.file.Path.of("/var/run/docker.sock"))
                || System.getenv("DOCKER_HOST") != null;
        if ("1".equals(System.getenv("LATTICE_REQUIRE_DOCKER"))) {
            if (!present) throw new AssertionError("LATTICE_REQUIRE_DOCKER=1 but no Docker engine socket");
        } else {
            Assumptions.assumeTrue(present, "no Docker engine here");
        }
    }

    @Override
    String runtime() {
        return "docker";
    }
}
