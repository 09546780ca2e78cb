package dev.lattice.agent.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.BuildImageResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Lattice runtime image, {@code lattice-runtime:1}, in which command workloads run: built on
 * this machine from its own files, because no registry is reachable to pull a base image from.
 *
 * <p>It holds only what the JDK's {@code java} launcher and {@code libjvm.so} link against (glibc's
 * loader, libc, libm, libdl, libpthread, librt, plus libgcc_s, which glibc loads for thread
 * cancellation, and libstdc++ for ONNX Runtime in model servers), {@code /bin/sh} (dash), {@code sleep}, {@code cat} and {@code env}, minimal
 * {@code /etc} files and {@code /tmp}: about 3.5 MB. The JDK and the Lattice jars are not in it; the
 * docker runtime mounts them read-only at their host paths. The image carries a fingerprint of its
 * files as a label; when the host's files change (a library upgrade, another JDK) it is rebuilt.
 *
 * <p>Thread-safe: concurrent callers of {@link #ensure} wait for one build.
 */
public final class RuntimeImage {
    public static final String TAG = "lattice-runtime:1";
    static final String FINGERPRINT_LABEL = "lattice.image.fingerprint";
    private static final Logger log = LoggerFactory.getLogger(RuntimeImage.class);
    private static final String DOCKERFILE = """
            FROM scratch
            COPY rootfs/ /
            ENV PATH=/usr/local/bin:/usr/bin:/bin HOME=/tmp
            CMD ["/bin/sh"]
            """;

    /** The image for an engine on another machine: the same, with the JDK and the jars in it. */
    public static final String SHIPPED_TAG = "lattice-runtime-shipped:1";

    private final Path javaHome;
    /** Whether the JDK and jars are in the image (an engine on another machine) or mounted (a local one). */
    private final boolean ship;
    /** The jar folders to put in the image when it ships them. */
    private final List<Path> shipped;
    private volatile boolean ready;

    /** The image for the JDK at {@code javaHome} (the one command workloads will run with), which mounts the JDK and jars. */
    public RuntimeImage(Path javaHome) {
        this(javaHome, false, List.of());
    }

    /**
     * With {@code ship}: an image that holds the JDK and the jar folders {@code shippedLibDirs} at
     * their paths on this machine, for an engine that cannot mount them (another machine's): no
     * registry is reachable, so what a command workload needs travels in the build context.
     */
    RuntimeImage(Path javaHome, boolean ship, List<Path> shippedLibDirs) {
        this.javaHome = javaHome;
        this.ship = ship;
        this.shipped = List.copyOf(shippedLibDirs);
    }

    /**
     * Where a shipped folder lies in the image: at its own path, but for one under {@code /tmp},
     * which a confined container's tmpfs {@code /tmp} would hide (an installation in a clone under
     * {@code /tmp}): that moves under {@link #RELOCATED}, and {@link ContainerPlan} rewrites the
     * command line to match.
     */
    static String shippedPath(Path dir) {
        String path = dir.toAbsolutePath().normalize().toString();
        return path.equals("/tmp") || path.startsWith("/tmp/") ? RELOCATED + path : path;
    }

    /** The image's folder for shipped folders that lie under /tmp on this machine. */
    static final String RELOCATED = "/opt/lattice-shipped";

    String tag() {
        return ship ? SHIPPED_TAG : TAG;
    }

    /** Builds {@link #tag()} unless the engine has it already, made from the same files; returns the tag. */
    public synchronized String ensure(DockerClient docker) throws IOException {
        if (ready) return tag();
        RootFs fs = rootFs();
        if (ship) {
            fs.tree(javaHome, shippedPath(javaHome));
            for (Path dir : shipped) if (!dir.startsWith(javaHome)) fs.tree(dir, shippedPath(dir));
        }
        ensure(docker, tag(), fs, DOCKERFILE);
        ready = true;
        return tag();
    }

    /** Checks for the image again on the next {@link #ensure} (it was found missing). */
    synchronized void forget() {
        ready = false;
    }

    private RootFs rootFs() throws IOException {
        return new RootFs(javaHome)
                .librariesOf(javaHome.resolve("bin/java"))
                .librariesOf(javaHome.resolve("lib/server/libjvm.so"))
                .program(Path.of("/bin/sh"), "/bin/sh")
                .program(Path.of("/bin/sleep"), "/bin/sleep")
                .program(Path.of("/bin/cat"), "/bin/cat")
                .program(Path.of("/usr/bin/env"), "/usr/bin/env")
                // dlopen'ed by glibc when a thread is cancelled or unwound; ldd cannot see that.
                .optionalLibrary("/lib/x86_64-linux-gnu/libgcc_s.so.1")
                .optionalLibrary("/lib/aarch64-linux-gnu/libgcc_s.so.1")
                // ONNX Runtime's native library (model servers) is C++: it links libstdc++, which the JDK does not.
                .optionalLibrary("/lib/x86_64-linux-gnu/libstdc++.so.6")
                .optionalLibrary("/lib/aarch64-linux-gnu/libstdc++.so.6")
                .text("/etc/passwd", "root:x:0:0:root:/tmp:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/sh\n")
                .text("/etc/group", "root:x:0:\nnogroup:x:65534:\n")
                // glibc's default without this file asks DNS before /etc/hosts (which Docker mounts).
                .text("/etc/nsswitch.conf", "passwd: files\ngroup: files\nhosts: files dns\n")
                .dir("/tmp");
    }

    /**
     * Builds {@code tag} from {@code fs} with {@code dockerfile} (which starts {@code FROM scratch}),
     * unless an image of that tag with the same fingerprint exists. Package-private for test images.
     */
    static void ensure(DockerClient docker, String tag, RootFs fs, String dockerfile) throws IOException {
        String fingerprint = fs.fingerprint(dockerfile);
        String current = null;
        try {
            Map<String, String> labels = docker.inspectImageCmd(tag).exec().getConfig().getLabels();
            current = labels == null ? null : labels.get(FINGERPRINT_LABEL);
        } catch (NotFoundException missing) {
            // built below
        } catch (RuntimeException e) {
            throw new IOException("docker: could not inspect image " + tag + ": " + e.getMessage(), e);
        }
        if (fingerprint.equals(current)) return;
        long t0 = System.nanoTime();
        // Written to a file first: a shipped JDK and jars are hundreds of MiB, more than an agent's heap.
        Path context = Files.createTempFile("lattice-image-", ".tar");
        try (var in = contextStream(fs, dockerfile, context)) {
            String id = docker.buildImageCmd(in)
                    .withTags(Set.of(tag))
                    .withLabels(Map.of(FINGERPRINT_LABEL, fingerprint))
                    .withPull(false)
                    .withRemove(true)
                    .exec(new BuildImageResultCallback())
                    .awaitImageId(5, TimeUnit.MINUTES);
            log.info("Built image {} ({}, {} KiB of host files) in {} ms{}", tag, id, fs.size() / 1024,
                    (System.nanoTime() - t0) / 1_000_000, current == null ? "" : ", replacing one made from other files");
        } catch (RuntimeException e) {
            throw new IOException("docker: could not build image " + tag + ": " + e.getMessage(), e);
        } finally {
            Files.deleteIfExists(context);
        }
    }

    private static java.io.InputStream contextStream(RootFs fs, String dockerfile, Path file) throws IOException {
        try (var out = new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            fs.writeContext(dockerfile, out);
        }
        return new java.io.BufferedInputStream(Files.newInputStream(file), 1 << 16);
    }
}
