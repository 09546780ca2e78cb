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
    void everyKindMapsThePlatformsArchiveWhenItIsCompleteAndNewerThanEveryJar() throws Exception {
        ClassDataSharing cds = cds();
        Path file = archive("platform", 0xf00baba2, Instant.now());
        for (String kind : List.of("auth", "gateway", "agent-n2")) {
            assertThat(cds.options(kind)).contains("-XX:SharedArchiveFile=" + file, "-XX:ArchiveRelocationMode=0");
        }
    }

    @Test
    void anArchiveCutShortIsDeletedAndEachProcessWritesAClassList() throws Exception {
        ClassDataSharing cds = cds();
        Path cutShort = archive("platform", 0, Instant.now());
        for (String kind : List.of("auth", "gateway")) {
            assertThat(cds.options(kind)).singleElement().asString().startsWith("-XX:DumpLoadedClassList=" + dist.resolve("cds").resolve(kind));
        }
        assertThat(cutShort).doesNotExist();
    }

    @Test
    void anArchiveOlderThanAJarIsDeleted() throws Exception {
        ClassDataSharing cds = cds();
        Path stale = archive("platform", 0xf00baba2, Instant.now().minusSeconds(3600));
        assertThat(cds.options("auth")).singleElement().asString().startsWith("-XX:DumpLoadedClassList=");
        assertThat(stale).doesNotExist();
    }

    @Test
    void archivesOfEarlierBuildsWithOneArchivePerKindAreRemovedButUpsOwnIsKept() throws Exception {
        Path perKind = archive("gateway", 0xf00baba2, Instant.now());
        Path up = archive("up", 0xf00baba8, Instant.now());
        cds();
        assertThat(perKind).doesNotExist();
        assertThat(up).exists();
    }

    @Test
    void classListsOfSeveralProcessesMergeIntoOneWithEachClassOnceAndFreshIds() {
        List<String> auth = List.of("# NOTE: Do not modify this file.", "java/lang/Object id: 0", "dev/lattice/auth/Users id: 1",
                "@lambda-form-invoker [LF_RESOLVE] java.lang.invoke.DirectMethodHandle$Holder invokeStatic LL_L");
        List<String> gateway = List.of("java/lang/Object id: 0", "dev/lattice/gateway/Routes id: 1",
                "com/example/Plugin id: 2 super: 0 source: /plugins/x.jar",
                "@lambda-form-invoker [LF_RESOLVE] java.lang.invoke.DirectMethodHandle$Holder invokeStatic LL_L",
                "@lambda-proxy dev/lattice/gateway/Routes run ()Ljava/lang/Runnable;");

        assertThat(ClassDataSharing.mergeClassLists(List.of(auth, gateway))).containsExactly(
                "java/lang/Object id: 0", "dev/lattice/auth/Users id: 1", "dev/lattice/gateway/Routes id: 2",
                "@lambda-form-invoker [LF_RESOLVE] java.lang.invoke.DirectMethodHandle$Holder invokeStatic LL_L",
                "@lambda-proxy dev/lattice/gateway/Routes run ()Ljava/lang/Runnable;");
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
