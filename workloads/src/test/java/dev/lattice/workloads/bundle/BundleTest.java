package dev.lattice.workloads.bundle;

import static dev.lattice.workloads.bundle.Archives.Entry.device;
import static dev.lattice.workloads.bundle.Archives.Entry.dir;
import static dev.lattice.workloads.bundle.Archives.Entry.executable;
import static dev.lattice.workloads.bundle.Archives.Entry.file;
import static dev.lattice.workloads.bundle.Archives.Entry.hardlink;
import static dev.lattice.workloads.bundle.Archives.Entry.symlink;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lattice.workloads.bundle.Archives.Entry;
import dev.lattice.workloads.bundle.Archives.Format;
import dev.lattice.core.LatticeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class BundleTest {
    /** Where an absolute entry would land if it were written: outside the test's folder, so checked by name. */
    private static final Path ABSOLUTE = Path.of(System.getProperty("java.io.tmpdir"), "lattice-bundle-abs-" + UUID.randomUUID());
    private static final Limits SMALL = new Limits(100, 1 << 20, 1 << 20, 100);

    @TempDir
    Path dir;

    @AfterEach
    void nothingWrittenAtTheAbsolutePath() {
        assertThat(ABSOLUTE).doesNotExist();
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void unpacksGoodBundleWithExecutableBits(Format format) throws IOException {
        Path archive = format.write(dir.resolve("in/app"), List.of(dir("./"), executable("./run.sh", "#!/bin/sh\necho hi\n"),
                dir("lib"), file("lib/a.txt", "a"), file("lib/deep/b.txt", "b")));

        int entries = Bundle.unpack(archive, target(), Limits.DEFAULT);

        assertThat(entries).isEqualTo(5);
        assertThat(target().resolve("run.sh")).hasContent("#!/bin/sh\necho hi");
        assertThat(Files.getPosixFilePermissions(target().resolve("run.sh"))).contains(PosixFilePermission.OWNER_EXECUTE);
        assertThat(Files.getPosixFilePermissions(target().resolve("lib/a.txt"))).doesNotContain(PosixFilePermission.OWNER_EXECUTE);
        assertThat(target().resolve("lib/deep/b.txt")).hasContent("b");
        assertThat(children(dir.resolve("out"))).containsExactly("app");
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void refusesEntryEscapingTheFolder(Format format) throws IOException {
        refused(format, List.of(file("good.txt", "ok"), file("lib/../../escape", "out")), "apps:bundle.path",
                "app: entry 'lib/../../escape' is outside the bundle's folder");
        assertThat(dir.resolve("escape")).doesNotExist();
        assertThat(dir.resolve("out/escape")).doesNotExist();
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void refusesAbsoluteEntry(Format format) throws IOException {
        refused(format, List.of(file("good.txt", "ok"), file(ABSOLUTE.toString(), "out")), "apps:bundle.path",
                "app: entry '" + ABSOLUTE + "' is an absolute path");
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void refusesSymbolicLink(Format format) throws IOException {
        refused(format, List.of(symlink("etc", "/etc"), file("etc/passwd", "x")), "apps:bundle.link",
                "app: entry 'etc' is a");
    }

    @Test
    void refusesHardLink() throws IOException {
        refused(Format.TAR_GZ, List.of(file("a", "a"), hardlink("b", "/etc/passwd")), "apps:bundle.link",
                "app: entry 'b' is a hard link to '/etc/passwd'");
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void refusesDevice(Format format) throws IOException {
        refused(format, List.of(device("tty")), "apps:bundle.special", "app: entry 'tty' is a device");
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void refusesTooManyEntries(Format format) throws IOException {
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < 101; i++) entries.add(file("f" + i, "x"));
        refused(format, entries, "apps:bundle.entries", "app: entry 'f100' is one entry too many (at most 100)");
    }

    /** Issue 11: 200,000 empty entries were a 500; the zip's directory is now counted before commons-compress loads it. */
    @ParameterizedTest
    @EnumSource(Format.class)
    void refusesAFloodOfEmptyEntriesAtTheDefaultCap(Format format) throws IOException {
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < 200_000; i++) entries.add(file("f" + i, new byte[0]));
        Path archive = format.write(dir.resolve("in/app"), entries);

        assertRefused(() -> Bundle.unpack(archive, target(), Limits.DEFAULT), "apps:bundle.entries",
                "app: entry 'f10000' is one entry too many (at most 10000)");
    }

    @Test
    void countsTheZipDirectoryWithoutReadingPastTheCap() throws IOException {
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < 101; i++) entries.add(file("f" + i, "x"));
        Path archive = Format.ZIP.write(dir.resolve("in/app"), entries);

        assertThat(ZipDirectory.entryPast(archive, 100)).isEqualTo("f100");
        assertThat(ZipDirectory.entryPast(archive, 101)).isNull();
        // Bytes before the zip (a self-extractor's stub) move the directory; commons-compress still finds it, so must the count.
        Path prefixed = dir.resolve("in/prefixed");
        Files.write(prefixed, new byte[4096]);
        Files.write(prefixed, Files.readAllBytes(archive), java.nio.file.StandardOpenOption.APPEND);
        assertThat(ZipDirectory.entryPast(prefixed, 100)).isEqualTo("f100");
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void refusesANameLongerThanTheFileSystemTakes(Format format) throws IOException {
        refused(format, List.of(file("lib/" + "x".repeat(256), "x")), "apps:bundle.path",
                "app: entry 'lib/xxx");
        Path archive = format.write(dir.resolve("in/app"), List.of(file("lib/" + "x".repeat(256), "x")));
        assertThatThrownBy(() -> Bundle.unpack(archive, target(), SMALL)).hasMessageEndingWith("has a file or folder name longer than 255 bytes");
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void refusesAPathTooLongOrTooDeep(Format format) throws IOException {
        Path longPath = format.write(dir.resolve("in/long"), List.of(file("d/".repeat(2100) + "f", "x")));
        assertRefused(() -> Bundle.unpack(longPath, target(), SMALL), "apps:bundle.path", "app: entry 'd/d/d/");
        assertThatThrownBy(() -> Bundle.unpack(longPath, target(), SMALL)).hasMessageEndingWith("has a path longer than 1024 bytes");

        Path deep = format.write(dir.resolve("in/deep"), List.of(file("d/".repeat(64) + "f", "x")));
        assertThatThrownBy(() -> Bundle.unpack(deep, target(), SMALL)).hasMessageEndingWith("is nested deeper than 64 folders");
        assertThat(target()).doesNotExist();
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void refusesEntryOverTheCapWhileStreaming(Format format) throws IOException {
        Path archive = format.write(dir.resolve("in/app"), List.of(file("small", "x"), file("bomb", new byte[10 << 20])));

        assertRefused(() -> Bundle.unpack(archive, target(), new Limits(100, 1L << 30, 1 << 20, 1_000_000)),
                "apps:bundle.size", "app: entry 'bomb' unpacks to more than 1048576 bytes");
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void refusesBundleOverTheTotalCap(Format format) throws IOException {
        refused(format, List.of(file("a", new byte[600 << 10]), file("b", new byte[600 << 10])), "apps:bundle.size",
                "app: entry 'b' takes the bundle past 1048576 bytes unpacked");
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void refusesCompressionBomb(Format format) throws IOException {
        Path archive = format.write(dir.resolve("in/app"), List.of(file("bomb", new byte[8 << 20])));

        assertRefused(() -> Bundle.unpack(archive, target(), new Limits(100, 1L << 30, 1L << 30, 100)),
                "apps:bundle.ratio", "app: entry 'bomb' takes the bundle past 100 times its packed size");
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void refusesTruncatedArchive(Format format) throws IOException {
        byte[] noise = new byte[256 << 10];
        new Random(1).nextBytes(noise);
        Path archive = format.write(dir.resolve("in/app"), List.of(file("a", "a"), file("noise", noise), file("z", "z")));
        byte[] whole = Files.readAllBytes(archive);
        Files.write(archive, java.util.Arrays.copyOf(whole, whole.length / 2));

        assertRefused(() -> Bundle.unpack(archive, target(), Limits.DEFAULT), "apps:bundle.corrupt", "app: the bundle is truncated or corrupt");
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void refusesDuplicateEntry(Format format) throws IOException {
        refused(format, List.of(file("a", "first"), file("a", "second")), "apps:bundle.duplicate", "app: entry 'a' appears twice");
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void refusesEntryBelowAFile(Format format) throws IOException {
        refused(format, List.of(file("a", "file"), file("a/b", "x")), "apps:bundle.duplicate", "app: entry 'a/b' is inside 'a', which is a file");
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void refusesEmptyBundle(Format format) throws IOException {
        refused(format, List.of(), "apps:bundle.empty", "app: the bundle is empty");
    }

    @Test
    void refusesWhatIsNeitherZipNorTarGz() throws IOException {
        Path archive = Files.createDirectories(dir.resolve("in")).resolve("app.zip");
        Files.writeString(archive, "#!/bin/sh\nrm -rf /\n");

        assertRefused(() -> Bundle.unpack(archive, target(), Limits.DEFAULT), "apps:bundle.format", "app: a bundle must be a .zip or a .tar.gz");
    }

    @Test
    void detectsTheFormatByContentNotName() throws IOException {
        Path archive = Format.TAR_GZ.write(dir.resolve("in/app.zip"), List.of(file("a", "a")));

        Bundle.unpack(archive, target(), Limits.DEFAULT);

        assertThat(target().resolve("a")).hasContent("a");
    }

    @Test
    void neverUnpacksOverAnExistingFolder() throws IOException {
        Path archive = Format.ZIP.write(dir.resolve("in/app"), List.of(file("a", "new")));
        Files.createDirectories(target());

        assertThatThrownBy(() -> Bundle.unpack(archive, target(), Limits.DEFAULT)).isInstanceOf(IllegalArgumentException.class);
        assertThat(children(target())).isEmpty();
    }

    private void refused(Format format, List<Entry> entries, String code, String message) throws IOException {
        Path archive = format.write(dir.resolve("in/app"), entries);
        assertRefused(() -> Bundle.unpack(archive, target(), SMALL), code, message);
    }

    /** The 400, and no trace: no target, no staging folder beside it, nothing new in the test's folder. */
    private void assertRefused(Runnable unpack, String code, String message) throws IOException {
        assertThatThrownBy(unpack::run).isInstanceOfSatisfying(LatticeException.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.getMessage()).startsWith(message);
        });
        assertThat(target()).doesNotExist();
        assertThat(children(dir)).containsAnyOf("in").isSubsetOf("in", "out");
        if (Files.exists(dir.resolve("out"))) assertThat(children(dir.resolve("out"))).isEmpty();
    }

    private Path target() {
        return dir.resolve("out/app");
    }

    private static List<String> children(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }
}
