package dev.lattice.agent.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import dev.lattice.agent.runtime.Launch;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What only an engine on another machine needs from the {@link DockerRuntime}: what it offers (its
 * {@code /info}), whether it answers, and a workload's folder copied into a container, since
 * nothing of this machine can be mounted there.
 */
final class RemoteEngine {
    private static final Logger log = LoggerFactory.getLogger(RemoteEngine.class);
    /** A ping's limit: across a cut link a call waits for TCP, and the agent's loop must not wait with it. */
    private static final long PING_SECONDS = 3;

    private RemoteEngine() {}

    static Optional<DockerRuntime.Capacity> capacity(DockerClient docker) {
        try {
            var info = docker.infoCmd().exec();
            return Optional.of(new DockerRuntime.Capacity(info.getNCPU() == null ? 1 : info.getNCPU(),
                    info.getMemTotal() == null ? 0 : info.getMemTotal() / (1024 * 1024), info.getServerVersion()));
        } catch (RuntimeException e) {
            log.warn("The Docker engine does not answer: {}", e.toString());
            return Optional.empty();
        }
    }

    static boolean answers(DockerClient docker, Executor executor) {
        var ping = CompletableFuture.runAsync(() -> docker.pingCmd().exec(), executor);
        try {
            ping.get(PING_SECONDS, TimeUnit.SECONDS);
            return true;
        } catch (TimeoutException | ExecutionException e) {
            ping.cancel(true);
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Copies the workload's folder into its container (created, not yet started), owned by the
     * user it runs as ({@link FolderTar}), into the volume at {@link ContainerPlan#copyInto()},
     * which the engine writes even under a read-only root.
     */
    static void copyIn(DockerClient docker, String id, Launch launch, ContainerPlan plan) throws IOException {
        int uid = 0;
        int gid = 0;
        if (plan.user() != null) {
            String[] ug = plan.user().split(":");
            uid = Integer.parseInt(ug[0]);
            gid = ug.length > 1 ? Integer.parseInt(ug[1]) : uid;
        }
        Path tar = Files.createTempFile("lattice-copy-", ".tar");
        try {
            FolderTar.write(launch.workDir(), uid, gid, tar);
            try (var in = new BufferedInputStream(Files.newInputStream(tar), 1 << 16)) {
                docker.copyArchiveToContainerCmd(id).withRemotePath(plan.copyInto()).withTarInputStream(in).exec();
            }
        } catch (RuntimeException e) {
            throw new IOException("workload " + launch.id() + ": could not copy its folder into container " + plan.name() + ": " + e.getMessage(), e);
        } finally {
            Files.deleteIfExists(tar);
        }
    }
}
