package dev.lattice.agent.runtime.docker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * A tiny root filesystem gathered from this machine's own files, for images built with no registry:
 * a few programs, the shared libraries they (and any extra ELF objects named) link against as
 * {@code ldd} reports them, and small text files. Written as a Docker build context
 * ({@code Dockerfile} + {@code rootfs/}) for a {@code FROM scratch} build. Not thread-safe.
 */
final class RootFs {
    /** "libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x...)" or "/lib64/ld-linux-x86-64.so.2 (0x...)". */
    private static final Pattern LDD_PATH = Pattern.compile("(?:=>\\s+)?(/\\S+)\\s+\\(0x");

    /** Image path → host file (a copy) or text (a small file). Sorted, so the tar and its fingerprint are stable. */
    private final Map<String, Path> copies = new TreeMap<>();
    private final Map<String, String> texts = new TreeMap<>();
    private final List<String> dirs = new ArrayList<>();
    /** Whole folders copied at the same path (a remote engine's image: the JDK and the jars), image path → host folder. */
    private final Map<String, Path> trees = new TreeMap<>();
    /** File names left out of {@link #trees} (what no workload runs: sources, headers, manuals). */
    private static final java.util.Set<String> NOT_SHIPPED = java.util.Set.of("src.zip", "ct.sym", "jmods", "include", "man", "demo", "sample");
    /** Libraries under this folder are not copied: it is mounted into the container instead (the JDK). */
    private final String mounted;

    /** @param mounted a folder mounted at run time, whose libraries are not copied, or null */
    RootFs(Path mounted) throws IOException {
        this.mounted = mounted == null ? null : mounted.toRealPath().toString();
    }

    /** Copies {@code hostFile} to {@code imagePath}, with the libraries it needs. */
    RootFs program(Path hostFile, String imagePath) throws IOException {
        copies.put(imagePath, hostFile.toRealPath());
        return librariesOf(hostFile);
    }

    /** Copies only the system libraries that {@code elf} needs (the object itself is mounted at run time). */
    RootFs librariesOf(Path elf) throws IOException {
        for (String lib : ldd(elf)) {
            Path real = Path.of(lib).toRealPath();
            if (mounted == null || !real.startsWith(mounted)) copies.putIfAbsent(lib, real);
        }
        return this;
    }

    /** A library loaded with dlopen (so ldd cannot see it), if this machine has it. */
    RootFs optionalLibrary(String path) throws IOException {
        if (Files.isRegularFile(Path.of(path))) copies.putIfAbsent(path, Path.of(path).toRealPath());
        return this;
    }

    RootFs text(String imagePath, String content) {
        texts.put(imagePath, content);
        return this;
    }

    /**
     * The whole folder {@code hostDir} (its real files, links followed) at the same path in the image,
     * but for what no workload needs ({@link #NOT_SHIPPED}): for an engine on another machine, which
     * cannot mount this one's JDK and jars.
     */
    RootFs tree(Path hostDir) throws IOException {
        return tree(hostDir, hostDir.toAbsolutePath().normalize().toString());
    }

    /** As {@link #tree(Path)}, at {@code imagePath} in the image. */
    RootFs tree(Path hostDir, String imagePath) throws IOException {
        trees.put(imagePath, hostDir.toRealPath());
        return this;
    }

    /** An empty folder; {@code /tmp} gets mode 1777. */
    RootFs dir(String imagePath) {
        dirs.add(imagePath);
        return this;
    }

    /**
     * A digest of everything the image is made of (paths, sizes and times of the copied files, the
     * texts, the Dockerfile): when the host's libraries change (an upgrade, another JDK), it changes
     * and the image is rebuilt.
     */
    String fingerprint(String dockerfile) throws IOException {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            StringBuilder all = new StringBuilder("rootfs-v1\n").append(dockerfile);
            for (var e : copies.entrySet()) {
                all.append(e.getKey()).append('=').append(e.getValue()).append(' ').append(Files.size(e.getValue()))
                        .append(' ').append(Files.getLastModifiedTime(e.getValue()).toMillis()).append('\n');
            }
            for (var t : trees.entrySet()) {
                for (var f : treeFiles(t.getValue())) {
                    all.append(t.getKey()).append('/').append(t.getValue().relativize(f)).append(' ').append(Files.size(f))
                            .append(' ').append(Files.getLastModifiedTime(f).toMillis()).append('\n');
                }
            }
            texts.forEach((k, v) -> all.append(k).append('=').append(v).append('\n'));
            dirs.forEach(d -> all.append(d).append("/\n"));
            return HexFormat.of().formatHex(sha.digest(all.toString().getBytes(StandardCharsets.UTF_8))).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** The build context: the Dockerfile and the files under {@code rootfs/}, as an uncompressed tar. */
    byte[] buildContext(String dockerfile) throws IOException {
        var bytes = new ByteArrayOutputStream(4 << 20);
        writeContext(dockerfile, bytes);
        return bytes.toByteArray();
    }

    /** Writes the build context to {@code out}, file by file (a shipped JDK is hundreds of MiB: never all in memory). */
    void writeContext(String dockerfile, java.io.OutputStream out) throws IOException {
        try (var tar = new TarArchiveOutputStream(out)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            add(tar, "Dockerfile", dockerfile.getBytes(StandardCharsets.UTF_8), 0644);
            for (String d : dirs) {
                var entry = new TarArchiveEntry("rootfs" + d + "/");
                entry.setMode(d.equals("/tmp") ? 01777 : 0755);
                tar.putArchiveEntry(entry);
                tar.closeArchiveEntry();
            }
            for (var e : texts.entrySet()) add(tar, "rootfs" + e.getKey(), e.getValue().getBytes(StandardCharsets.UTF_8), 0644);
            for (var e : copies.entrySet()) add(tar, "rootfs" + e.getKey(), Files.readAllBytes(e.getValue()), 0755);
            for (var t : trees.entrySet()) {
                for (Path f : treeFiles(t.getValue())) {
                    var entry = new TarArchiveEntry("rootfs" + t.getKey() + "/" + t.getValue().relativize(f));
                    entry.setSize(Files.size(f));
                    entry.setMode(Files.isExecutable(f) ? 0755 : 0644);
                    tar.putArchiveEntry(entry);
                    Files.copy(f, tar);
                    tar.closeArchiveEntry();
                }
            }
        }
    }

    /** The regular files under {@code root}, links followed, sorted, without {@link #NOT_SHIPPED}. */
    private static List<Path> treeFiles(Path root) throws IOException {
        try (var walk = Files.walk(root, java.nio.file.FileVisitOption.FOLLOW_LINKS)) {
            return walk.filter(Files::isRegularFile)
                    .filter(f -> { for (Path part : root.relativize(f)) if (NOT_SHIPPED.contains(part.toString())) return false; return true; })
                    .sorted().toList();
        }
    }

    /** Total bytes of the files, for the log. */
    long size() throws IOException {
        long total = 0;
        for (Path p : copies.values()) total += Files.size(p);
        for (Path t : trees.values()) for (Path f : treeFiles(t)) total += Files.size(f);
        return total;
    }

    private static void add(TarArchiveOutputStream tar, String name, byte[] content, int mode) throws IOException {
        var entry = new TarArchiveEntry(name);
        entry.setSize(content.length);
        entry.setMode(mode);
        tar.putArchiveEntry(entry);
        tar.write(content);
        tar.closeArchiveEntry();
    }

    /** The libraries ldd resolves for {@code elf}. */
    private static List<String> ldd(Path elf) throws IOException {
        Process p = new ProcessBuilder("ldd", elf.toString()).redirectErrorStream(true).start();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0)
                throw new IOException("ldd " + elf + " failed: " + out.strip());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running ldd " + elf, e);
        }
        List<String> libs = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (line.contains("not found")) throw new IOException("ldd " + elf + ": " + line.strip());
            Matcher m = LDD_PATH.matcher(line);
            if (m.find()) libs.add(m.group(1));
        }
        return libs;
    }
}
