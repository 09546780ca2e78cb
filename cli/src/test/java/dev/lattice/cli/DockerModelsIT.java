package dev.lattice.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Issue 5's acceptance on the Docker runtime: model servers (ONNX Runtime's native code included)
 * run as containers of the locally built runtime image. Skipped without Docker unless
 * {@code LATTICE_REQUIRE_DOCKER=1} (as CI sets).
 */
@ResourceLock(ITResources.DOCKER)
@ResourceLock(ITResources.MODEL_FRESH)
class DockerModelsIT extends ModelScenarios {
    @BeforeAll
    static void needsDocker() {
        DockerEngine.requireOrSkip();
    }

    @Override
    String runtime() {
        return "docker";
    }
}
