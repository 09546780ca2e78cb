package dev.lattice.repository.store;

import dev.lattice.api.repository.Sha256;
import dev.lattice.api.repository.Stored;
import dev.lattice.core.LatticeException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Artefacts as files, {@code DIR/sha256/ab/abcdef...} (the first two hex digits spread them over
 * 256 directories). A put streams into {@code DIR/incoming} while hashing, syncs the file to disk,
 * then renames it into place atomically: a reader sees either nothing or every byte, and a crash
 * leaves at most a file in {@code incoming}, which the next start removes. Thread-safe; one
 * process per directory.
 */
public final class DiskStore implements ArtefactStore {
    private static final Logger log = LoggerFactory.getLogger(DiskStore.class);
    private static final int BUFFER = 64 * 1024;
    private static final int STRIPES = 64;

    private final Path objects;
    private final Path incoming;
    // Puts of the same content race only at the final rename; a lock per hash stripe makes
    // exactly one of them the creator (a ReentrantLock, which does not pin virtual threads).
    private final ReentrantLock[] locks = new ReentrantLock[STRIPES];

    /** Opens (creating if needed) the store in {@code dir}, removing uploads a crash left unfinished. */
    public DiskStore(Path dir) {
        this.objects = dir.resolve("sha256");
        this.incoming = dir.resolve("incoming");
        for (int i = 0; i < STRIPES; i++) locks[i] = new ReentrantLock();
        try {
            Files.createDirectories(objects);
            Files.createDirectories(incoming);
            removeLeftovers();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the artefact store in " + dir, e);
        }
    }

    @Override
    public Stored put(InputStream content, long maxBytes) {
        Path part = null;
        try {
            // Temporary files live beside the objects, on the same file system, so the rename is atomic.
            part = Files.createTempFile(incoming, "put-", ".part");
            MessageDigest digest = Sha256.digest();
            long size = copy(content, part, digest, maxBytes);
            String hash = Sha256.hex(digest);
            Path target = pathOf(hash);
            ReentrantLock lock = locks[Math.floorMod(hash.hashCode(), STRIPES)];
            lock.lock();
            try {
                // The same bytes already stored (same hash, same size): keep one copy. A file of the
                // wrong size was damaged on disk, so this put replaces it.
                if (Files.isRegularFile(target) && Files.size(target) == size) return new Stored(hash, size, false);
                Files.createDirectories(target.getParent());
                Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                syncDirectory(target.getParent());
            } finally {
                lock.unlock();
            }
            log.debug("stored artefact {} ({} bytes)", hash, size);
            return new Stored(hash, size, true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store an artefact in " + objects.getParent(), e);
        } finally {
            if (part != null) deleteQuietly(part);
        }
    }

    /** Streams {@code in} to {@code part} through {@code digest}, then forces it to disk; returns the size. */
    private static long copy(InputStream in, Path part, MessageDigest digest, long maxBytes) throws IOException {
        byte[] buffer = new byte[BUFFER];
        long size = 0;
        try (FileChannel channel = FileChannel.open(part, StandardOpenOption.WRITE);
             OutputStream out = Channels.newOutputStream(channel)) {
            int n;
            while ((n = read(in, buffer, size)) != -1) {
                size += n;
                if (size > maxBytes) {
                    throw LatticeException.tooLarge("body: the artefact is larger than the limit of " + maxBytes + " bytes");
                }
                digest.update(buffer, 0, n);
                out.write(buffer, 0, n);
            }
            channel.force(true);
        }
        return size;
    }

    /** A failure of the source is the uploader's (a 400), not the store's. */
    private static int read(InputStream in, byte[] buffer, long sofar) {
        try {
            return in.read(buffer);
        } catch (IOException e) {
            throw new LatticeException("repository:upload.broken", 400,
                    "body: the upload broke off after " + sofar + " bytes (" + e.getMessage() + ")", e);
        }
    }

    @Override
    public Optional<Artefact> open(String sha256) {
        Path path = pathOf(Sha256.require(sha256));
        try {
            FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
            return Optional.of(new Artefact(sha256, channel.size(), Channels.newInputStream(channel)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read artefact " + sha256, e);
        }
    }

    @Override
    public OptionalLong size(String sha256) {
        Path path = pathOf(Sha256.require(sha256));
        try {
            return OptionalLong.of(Files.size(path));
        } catch (NoSuchFileException e) {
            return OptionalLong.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read artefact " + sha256, e);
        }
    }

    /** Where the artefact with this (validated) hash lives. */
    public Path pathOf(String sha256) {
        return objects.resolve(sha256.substring(0, 2)).resolve(sha256);
    }

    /** Makes the rename itself durable; not every platform can open a directory, which only costs durability. */
    private static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            log.debug("cannot sync directory {}: {}", dir, e.toString());
        }
    }

    @Override
    public boolean delete(String sha256) {
        Path path = pathOf(Sha256.require(sha256));
        ReentrantLock lock = locks[Math.floorMod(sha256.hashCode(), STRIPES)];
        lock.lock();
        try {
            return Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete artefact " + sha256, e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int deleteOlderThan(java.time.Instant before) {
        int removed = 0;
        try (var files = Files.walk(objects, 2)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                if (Files.getLastModifiedTime(p).toInstant().isBefore(before) && delete(p.getFileName().toString())) removed++;
            }
        } catch (IOException | RuntimeException e) {
            log.warn("cannot sweep {}: {}", objects, e.toString());
        }
        return removed;
    }

    private void removeLeftovers() throws IOException {
        try (DirectoryStream<Path> parts = Files.newDirectoryStream(incoming)) {
            for (Path p : parts) {
                log.info("removing {}, an upload left unfinished by an earlier run", p.getFileName());
                deleteQuietly(p);
            }
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            log.warn("cannot delete {}: {}", p, e.toString());
        }
    }
}
