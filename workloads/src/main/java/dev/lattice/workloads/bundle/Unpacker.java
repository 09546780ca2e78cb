package dev.lattice.workloads.bundle;

import static java.nio.file.LinkOption.NOFOLLOW_LINKS;

import dev.lattice.core.LatticeException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes one archive's entries into a fresh folder, refusing — with a 400 that names the entry —
 * anything that would land outside it or exceed the {@link Limits}. It only ever creates plain
 * folders and files, never links, so no later entry can be led out through one. Not thread-safe:
 * one per unpacking.
 */
final class Unpacker {
    private static final int BUFFER = 64 * 1024;
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private final Path root;
    private final Limits limits;
    private final long archiveBytes;
    private int entries;
    private long total;

    Unpacker(Path root, Limits limits, long archiveBytes) {
        this.root = root;
        this.limits = limits;
        this.archiveBytes = archiveBytes;
    }

    /** Counts an entry before anything about it is believed, so a flood of tiny entries stops early. */
    void count(String name) {
        if (++entries > limits.maxEntries()) throw tooMany(name);
    }

    int maxEntries() {
        return limits.maxEntries();
    }

    LatticeException tooMany(String name) {
        return refuse("entries", name, "is one entry too many (at most " + limits.maxEntries() + ")");
    }

    int entries() {
        return entries;
    }

    void directory(String name) {
        Path path = place(name);
        requireFolders(name, path);
        if (Files.exists(path, NOFOLLOW_LINKS) && !Files.isDirectory(path, NOFOLLOW_LINKS))
            throw refuse("duplicate", name, "is both a file and a folder");
        try {
            Files.createDirectories(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + path, e);
        }
    }

    /** Copies one file's bytes from the archive, counting them against the limits as they come. */
    void file(String name, InputStream in, boolean executable) {
        Path path = place(name);
        if (path.equals(root)) throw refuse("path", name, "is a file named like the bundle's folder itself");
        requireFolders(name, path);
        if (Files.exists(path, NOFOLLOW_LINKS)) throw refuse("duplicate", name, "appears twice");
        try {
            Files.createDirectories(path.getParent());
            try (OutputStream out = Files.newOutputStream(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                copy(name, in, out);
            }
            if (executable && POSIX) Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path, e);
        }
    }

    private void copy(String name, InputStream in, OutputStream out) throws IOException {
        byte[] buffer = new byte[BUFFER];
        long written = 0;
        for (int n = read(name, in, buffer); n >= 0; n = read(name, in, buffer)) {
            written += n;
            total += n;
            if (written > limits.maxEntryBytes())
                throw refuse("size", name, "unpacks to more than " + limits.maxEntryBytes() + " bytes");
            if (total > limits.maxBytes())
                throw refuse("size", name, "takes the bundle past " + limits.maxBytes() + " bytes unpacked");
            if (total > Limits.RATIO_FREE_BYTES && total > (long) limits.maxRatio() * archiveBytes)
                throw refuse("ratio", name, "takes the bundle past " + limits.maxRatio() + " times its packed size (a zip bomb?)");
            out.write(buffer, 0, n);
        }
    }

    /** A read that fails is the archive's fault (truncated, corrupt), so a 400; a write that fails is ours. */
    private static int read(String name, InputStream in, byte[] buffer) {
        try {
            return in.read(buffer);
        } catch (IOException e) {
            throw corrupt(name, e);
        }
    }

    /** Where an entry goes: inside the folder, or a 400. "./" is the folder itself. */
    private Path place(String name) {
        if (name == null || name.isEmpty()) throw refuse("path", String.valueOf(name), "has no name");
        if (name.indexOf('\\') >= 0 || name.indexOf('\0') >= 0)
            throw refuse("path", name, "has a backslash or NUL in its name");
        if (name.startsWith("/") || name.matches("[A-Za-z]:.*")) throw refuse("path", name, "is an absolute path");
        requireShortEnough(name);
        Path path;
        try {
            path = root.resolve(name).normalize();
        } catch (InvalidPathException e) {
            throw refuse("path", name, "is not a valid path");
        }
        if (!path.startsWith(root)) throw refuse("path", name, "is outside the bundle's folder");
        return path;
    }

    private static void requireShortEnough(String name) {
        String shown = name.length() > 80 ? name.substring(0, 80) + "..." : name;
        if (name.getBytes(StandardCharsets.UTF_8).length > Limits.MAX_PATH_BYTES)
            throw refuse("path", shown, "has a path longer than " + Limits.MAX_PATH_BYTES + " bytes");
        String[] parts = name.split("/");
        if (parts.length > Limits.MAX_DEPTH)
            throw refuse("path", shown, "is nested deeper than " + Limits.MAX_DEPTH + " folders");
        for (String part : parts) {
            if (part.getBytes(StandardCharsets.UTF_8).length > Limits.MAX_NAME_BYTES)
                throw refuse("path", shown, "has a file or folder name longer than " + Limits.MAX_NAME_BYTES + " bytes");
        }
    }

    /** Every folder on the way must be a folder: a file of that name already there is a conflict. */
    private void requireFolders(String name, Path path) {
        for (Path p = path.getParent(); p != null && p.startsWith(root) && !p.equals(root); p = p.getParent()) {
            if (Files.exists(p, NOFOLLOW_LINKS) && !Files.isDirectory(p, NOFOLLOW_LINKS))
                throw refuse("duplicate", name, "is inside '" + root.relativize(p) + "', which is a file");
        }
    }

    static LatticeException refuse(String what, String name, String why) {
        return LatticeException.badRequest("apps:bundle." + what, "app: entry '" + name + "' " + why);
    }

    static LatticeException corrupt(String name, IOException e) {
        String where = name == null ? "" : " at entry '" + name + "'";
        return new LatticeException("apps:bundle.corrupt", 400,
                "app: the bundle is truncated or corrupt" + where + " (" + e.getMessage() + ")", e);
    }
}
