package dev.lattice.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** Whether the Docker-runtime tests can run here: a local engine socket or {@code DOCKER_HOST}. */
final class DockerEngine {
    private DockerEngine() {}

    /**
     * Skips the calling test class when there is no Docker engine, unless
     * {@code LATTICE_REQUIRE_DOCKER=1} (as CI sets), which makes a missing engine a failure.
     */
    static void requireOrSkip() {
        boolean present = Files.exists(Path.of("/var/run/docker.sock")) || System.getenv("DOCKER_HOST") != null;
        if ("1".equals(System.getenv("LATTICE_REQUIRE_DOCKER"))) {
            if (!present) throw new AssertionError("LATTICE_REQUIRE_DOCKER=1 but no Docker engine socket");
        } else {
            Assumptions.assumeTrue(present, "no Docker engine here");
        }
    }
}
