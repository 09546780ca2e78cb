package dev.lattice.agent.runtime.docker;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * A workload's folder as a tar for the engine's archive API (a remote engine cannot mount it),
 * under the folder's own name: every file and folder owned by the user the workload runs as, the
 * folder itself mode 0700 as on a local node. (Extracted into its parent, the folder is made by the
 * engine with that owner; the root of a volume keeps the engine's root owner whatever the tar says.) Symbolic links are left out, never followed: a link planted in the
 * folder must not carry a file of this machine to the engine.
 */
final class FolderTar {
    private FolderTar() {}

    static void write(Path folder, int uid, int gid, Path tarFile) throws IOException {
        String top = folder.getFileName().toString() + "/";
        try (var tar = new TarArchiveOutputStream(new BufferedOutputStream(Files.newOutputStream(tarFile), 1 << 16))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            tar.putArchiveEntry(entry(top, uid, gid, 0700));
            tar.closeArchiveEntry();
            List<Path> all;
            try (var walk = Files.walk(folder)) {
                all = walk.filter(p -> !p.equals(folder)).sorted().toList();
            }
            for (Path p : all) {
                String name = top + folder.relativize(p).toString().replace('\\', '/');
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    tar.putArchiveEntry(entry(name + "/", uid, gid, 0700));
                    tar.closeArchiveEntry();
                } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    TarArchiveEntry e = entry(name, uid, gid, Files.isExecutable(p) ? 0700 : 0600);
                    e.setSize(Files.size(p));
                    tar.putArchiveEntry(e);
                    Files.copy(p, tar);
                    tar.closeArchiveEntry();
                }
            }
        }
    }

    private static TarArchiveEntry entry(String name, int uid, int gid, int mode) {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setUserId(uid);
        e.setGroupId(gid);
        e.setMode(mode);
        return e;
    }
}
