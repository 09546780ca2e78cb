package dev.lattice.repository.store;

import dev.lattice.api.repository.Stored;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Content-addressed storage of artefacts: bytes go in, their SHA-256 comes out, and the bytes are
 * found again by that hash only. Identical content is kept once. The seam between the repository
 * and its storage: {@link DiskStore} on local disk; an object store (S3) fits behind the same
 * three calls. Implementations are thread-safe.
 */
public interface ArtefactStore {

    /** An opened artefact; the caller closes it. */
    record Artefact(String sha256, long size, InputStream content) implements Closeable {
        @Override
        public void close() throws IOException {
            content.close();
        }
    }

    /**
     * Reads {@code content} to its end and stores it under its SHA-256. Nothing becomes visible
     * until all of it is stored durably; a put that fails leaves nothing behind.
     *
     * @throws dev.lattice.core.LatticeException 413 once more than {@code maxBytes} have been read;
     *         400 when reading {@code content} fails (a broken upload)
     * @throws java.io.UncheckedIOException when the store itself cannot write
     */
    Stored put(InputStream content, long maxBytes);

    /** The artefact with this hash, open for reading, or empty if it is not stored. */
    Optional<Artefact> open(String sha256);

    /** The size of the artefact with this hash, or empty if it is not stored. */
    OptionalLong size(String sha256);

    /** Removes the artefact with this hash; false if it was not stored. */
    boolean delete(String sha256);

    /** Removes the artefacts stored before {@code before}; returns how many (a staging area's expiry). */
    int deleteOlderThan(java.time.Instant before);

    default boolean exists(String sha256) {
        return size(sha256).isPresent();
    }
}
