package dev.lattice.agent.runtime.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostPathsTest {
    @TempDir
    Path dir;

    @Test
    void mountsEachClassPathFolderOnceAndNothingNestedOrMissing() throws Exception {
        Path repo = Files.createDirectories(dir.resolve("repo"));
        Path a = Files.createDirectories(repo.resolve("a/1"));
        Path ab = Files.createDirectories(dir.resolve("repo-b"));
        Files.createFile(a.resolve("a.jar"));
        Files.createFile(ab.resolve("b.jar"));
        Path classes = Files.createDirectories(dir.resolve("classes"));
        String cp = String.join(File.pathSeparator, a.resolve("a.jar").toString(), repo.toString(), ab.resolve("b.jar").toString(),
                classes + "/*", dir.resolve("gone/c.jar").toString(), "");

        assertThat(HostPaths.libDirsOf(cp)).containsExactly(classes, repo, ab);
    }

    @Test
    void usesTheLatticeLibFolderWhenSet() {
        String before = System.getProperty("lattice.lib");
        System.setProperty("lattice.lib", dir.toString());
        try {
            HostPaths host = HostPaths.current();
            assertThat(host.libDirs()).containsExactly(dir);
            assertThat(host.javaHome()).isEqualTo(Path.of(System.getProperty("java.home")));
            assertThat(host.user()).matches("\\d+:\\d+");
        } finally {
            if (before == null) System.clearProperty("lattice.lib");
            else System.setProperty("lattice.lib", before);
        }
    }
}
