package dev.lattice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassDataSharingTest {
    @TempDir
    Path dist;

    private ClassDataSharing cds() throws Exception {
        Path lib = Files.createDirectories(dist.resolve("lib"));
        Path jar = lib.resolve("lattice-core.jar");
        if (!Files.exists(jar)) Files.write(jar, new byte[] {1});
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().minusSeconds(60)));
        return ClassDataSharing.forDistribution(lib.toString()).orElseThrow();
    }

    private Path archive(String kind, int magic, Instant modified) throws Exception {
        Path file = Files.createDirectories(dist.resolve("cds")).resolve(kind + ".jsa");
        Files.write(file, java.nio.ByteBuffer.allocate(16).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(magic).array());
        Files.setLastModifiedTime(file, FileTime.from(modified));
        return file;
    }

    @Test
    void aCompleteArchiveNewerThanEveryJarIsMapped() throws Exception {
        ClassDataSharing cds = cds();
        Path file = archive("auth", 0xf00baba2, Instant.now());
        assertThat(cds.options("auth")).contains("-XX:SharedArchiveFile=" + file);
    }

    @Test
    void anArchiveCutShortOrStaleIsDeletedAndTheProcessWritesAClassList() throws Exception {
        ClassDataSharing cds = cds();
        Path cutShort = archive("auth", 0, Instant.now());
        Path stale = archive("gateway", 0xf00baba2, Instant.now().minusSeconds(3600));
        Path dynamic = archive("nodes", 0xf00baba8, Instant.now()); // the JVM's own kind, made at exit: no longer used

        for (String kind : List.of("auth", "gateway", "nodes")) {
            assertThat(cds.options(kind)).singleElement().asString().startsWith("-XX:DumpLoadedClassList=" + dist.resolve("cds").resolve(kind));
        }
        assertThat(cutShort).doesNotExist();
        assertThat(stale).doesNotExist();
        assertThat(dynamic).doesNotExist();
    }

    @Test
    void theArchiveIsDumpedWithTheRunsOptionsAndClassPath() {
        List<String> run = List.of("/jdk/bin/java", "-Xss512k", "-Xmx128m", "--enable-native-access=ALL-UNNAMED",
                "-XX:DumpLoadedClassList=/d/cds/auth.1.classlist", "-Dlattice.service=auth", "-cp", "/d/lib/*",
                "dev.lattice.cli.Lattice", "service", "auth");

        assertThat(ClassDataSharing.dumpCommand(run, Path.of("/d/cds/auth.1.list"), Path.of("/d/cds/auth.1.jsa.tmp")))
                .containsExactly("/jdk/bin/java", "-Xss512k", "-Xmx128m", "--enable-native-access=ALL-UNNAMED",
                        "-Dlattice.service=auth", "-Xshare:dump", "-XX:SharedClassListFile=/d/cds/auth.1.list",
                        "-XX:SharedArchiveFile=/d/cds/auth.1.jsa.tmp", "-Xlog:cds=error", "-cp", "/d/lib/*");
    }
}
