package dev.lattice.workloads.bundle;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Collections;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;

/**
 * Reads a zip bundle through its central directory with commons-compress, because only there are
 * an entry's unix mode bits kept — the one way a zip marks a symbolic link, which java.util.zip
 * cannot see and would write out as a file. {@link ZipDirectory} counts the entries first, as
 * {@code ZipFile} holds all of them in memory before the first can be refused.
 */
final class ZipEntries {
    private static final int TYPE_BITS = 0170000;
    private static final int REGULAR = 0100000;
    private static final int DIRECTORY = 0040000;
    private static final int SYMLINK = 0120000;

    private ZipEntries() {}

    static void unpack(Path archive, Unpacker unpacker) {
        String current = null;
        try {
            String past = ZipDirectory.entryPast(archive, unpacker.maxEntries());
            if (past != null) throw unpacker.tooMany(past);
        } catch (IOException e) {
            throw Unpacker.corrupt(null, e);
        }
        try (ZipFile zip = ZipFile.builder().setPath(archive).get()) {
            for (ZipArchiveEntry entry : Collections.list(zip.getEntriesInPhysicalOrder())) {
                current = entry.getName();
                unpacker.count(current);
                int type = entry.getUnixMode() & TYPE_BITS;
                if (entry.isUnixSymlink() || type == SYMLINK)
                    throw Unpacker.refuse("link", current, "is a symbolic link; bundles may hold only files and folders");
                if (type != 0 && type != REGULAR && type != DIRECTORY)
                    throw Unpacker.refuse("special", current, "is a device or other special file; bundles may hold only files and folders");
                if (entry.isDirectory()) {
                    unpacker.directory(current);
                    continue;
                }
                if (!zip.canReadEntryData(entry))
                    throw Unpacker.refuse("format", current, "is encrypted or compressed in a way that cannot be read");
                try (InputStream in = zip.getInputStream(entry)) {
                    unpacker.file(current, in, (entry.getUnixMode() & 0100) != 0);
                }
            }
        } catch (IOException e) {
            throw Unpacker.corrupt(current, e);
        }
    }
}
