package dev.lattice.workloads.bundle;

import dev.lattice.core.LatticeException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Unpacks a {@code command} app's bundle (zip or tar.gz, told apart by content) into its own
 * folder, or refuses it with a 400 naming the entry at fault: absolute or escaping paths, links
 * of any kind, devices, too many entries, too many bytes, bombs, a truncated archive.
 *
 * <p>All or nothing: entries are written into a hidden sibling of the target, which is moved into
 * place in one rename only when every entry has passed, and deleted otherwise — so a refused
 * bundle leaves no trace, not even a partial file, and no entry is ever written outside it.
 * Stateless and thread-safe; two calls must not share a target.
 */
public final class Bundle {
    private static final Logger LOG = LoggerFactory.getLogger(Bundle.class);

    private Bundle() {}

    /**
     * @param target a folder that does not exist yet; its parent is created if needed
     * @return the number of entries unpacked
     * @throws LatticeException 400 for a bundle refused (nothing is left behind)
     * @throws IllegalArgumentException when the target exists already
     * @throws UncheckedIOException when this machine cannot read the archive or write the folder
     */
    public static int unpack(Path archive, Path target, Limits limits) {
        BundleFormat format = BundleFormat.detect(archive);
        Path folder = target.toAbsolutePath().normalize();
        if (Files.exists(folder)) throw new IllegalArgumentException("cannot unpack into " + folder + ": it exists already");
        Path staging = null;
        try {
            Files.createDirectories(folder.getParent());
            staging = Files.createTempDirectory(folder.getParent(), "." + folder.getFileName() + ".unpacking-");
            Unpacker unpacker = new Unpacker(staging, limits, Math.max(1, Files.size(archive)));
            if (format == BundleFormat.ZIP) ZipEntries.unpack(archive, unpacker);
            else TarEntries.unpack(archive, unpacker);
            if (unpacker.entries() == 0) throw LatticeException.badRequest("apps:bundle.empty", "app: the bundle is empty");
            Files.move(staging, folder, StandardCopyOption.ATOMIC_MOVE);
            staging = null;
            return unpacker.entries();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack " + archive + " into " + folder, e);
        } finally {
            if (staging != null) discard(staging);
        }
    }

    /** The refusal is what the caller must hear; a folder left over is for the operator, who is told. */
    private static void discard(Path staging) {
        try {
            deleteTree(staging);
        } catch (UncheckedIOException e) {
            LOG.warn("Could not remove {} after a refused bundle; remove it by hand", staging, e);
        }
    }

    /** Deletes what an unpacking wrote. Links are not followed (and none were made). */
    static void deleteTree(Path folder) {
        try {
            Files.walkFileTree(folder, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    if (e != null) throw e;
                    Files.delete(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the refused bundle's folder " + folder, e);
        }
    }
}
