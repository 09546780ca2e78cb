package dev.lattice.agent.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import java.io.IOException;
import java.nio.file.Path;

/** Images for tests, built locally like the runtime image (no registry is reachable). */
final class TestImages {
    static final String SLEEPER = "lattice-test-sleeper:1";

    private TestImages() {}

    /** {@code /bin/sh} and {@code sleep}; says hello with {@code $GREETING}, then sleeps. */
    static String sleeper(DockerClient docker) throws IOException {
        RootFs fs = new RootFs(null).program(Path.of("/bin/sh"), "/bin/sh").program(Path.of("/bin/sleep"), "/bin/sleep");
        RuntimeImage.ensure(docker, SLEEPER, fs, """
                FROM scratch
                COPY rootfs/ /
                CMD ["/bin/sh", "-c", "echo sleeper says $GREETING; exec sleep 600"]
                """);
        return SLEEPER;
    }
}
