package dev.lattice.agent;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;

/** File ownership and modes as the agent sets them on a workload's folder and on its own records. */
final class Owner {
    private Owner() {}

    /**
     * Makes {@code uid:gid} the owner of {@code folder} and all in it, so the sandboxed workload can
     * write there and nowhere else. Links are never followed: the folder is the workload's, and a
     * link it planted to {@code /etc/shadow} must not make root hand that file over.
     */
    static void giveTo(Path folder, int uid, int gid) throws IOException {
        if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) return;
        UserPrincipalLookupService names = folder.getFileSystem().getUserPrincipalLookupService();
        var user = names.lookupPrincipalByName(Integer.toString(uid));
        var group = names.lookupPrincipalByGroupName(Integer.toString(gid));
        Files.walkFileTree(folder, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                set(dir);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                set(file);
                return FileVisitResult.CONTINUE;
            }

            private void set(Path p) throws IOException {
                PosixFileAttributeView view = Files.getFileAttributeView(p, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
                view.setOwner(user);
                view.setGroup(group);
            }
        });
    }

    /** Sets a file's mode, where the file system has modes. */
    static void restrict(Path p, String mode) {
        try {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
        } catch (IOException | UnsupportedOperationException e) {
            // not POSIX: nothing to restrict
        }
    }
}
