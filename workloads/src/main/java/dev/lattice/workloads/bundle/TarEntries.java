package dev.lattice.workloads.bundle;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Reads a tar.gz bundle as a stream, entry by entry: the sizes in its headers are never trusted,
 * only the bytes that actually come out of the decompressor.
 */
final class TarEntries {
    private TarEntries() {}

    static void unpack(Path archive, Unpacker unpacker) {
        String current = null;
        try (InputStream file = new BufferedInputStream(Files.newInputStream(archive));
             GzipCompressorInputStream gzip = GzipCompressorInputStream.builder().setInputStream(file).setDecompressConcatenated(true).get();
             TarArchiveInputStream tar = new TarArchiveInputStream(gzip)) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                current = entry.getName();
                unpacker.count(current);
                one(entry, tar, unpacker);
            }
        } catch (IOException e) {
            throw Unpacker.corrupt(current, e);
        }
    }

    private static void one(TarArchiveEntry entry, InputStream tar, Unpacker unpacker) {
        String name = entry.getName();
        if (entry.isSymbolicLink() || entry.isLink())
            throw Unpacker.refuse("link", name, "is a " + (entry.isLink() ? "hard" : "symbolic") + " link to '"
                    + entry.getLinkName() + "'; bundles may hold only files and folders");
        if (entry.isCharacterDevice() || entry.isBlockDevice() || entry.isFIFO())
            throw Unpacker.refuse("special", name, "is a device or pipe; bundles may hold only files and folders");
        if (entry.isDirectory()) unpacker.directory(name);
        else if (entry.isFile()) unpacker.file(name, tar, (entry.getMode() & 0100) != 0);
        else throw Unpacker.refuse("special", name, "is neither a file nor a folder");
    }
}
