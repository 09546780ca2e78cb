package dev.lattice.workloads.bundle;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/** Writes the archives the tests unpack, bad ones included, entry names exactly as given. */
final class Archives {
    enum Kind { FILE, DIR, SYMLINK, HARDLINK, DEVICE }

    record Entry(String name, Kind kind, byte[] data, int mode, String link) {
        static Entry file(String name, String text) {
            return new Entry(name, Kind.FILE, text.getBytes(), 0644, null);
        }

        static Entry file(String name, byte[] data) {
            return new Entry(name, Kind.FILE, data, 0644, null);
        }

        static Entry executable(String name, String text) {
            return new Entry(name, Kind.FILE, text.getBytes(), 0755, null);
        }

        static Entry dir(String name) {
            return new Entry(name, Kind.DIR, new byte[0], 0755, null);
        }

        static Entry symlink(String name, String target) {
            return new Entry(name, Kind.SYMLINK, new byte[0], 0777, target);
        }

        static Entry hardlink(String name, String target) {
            return new Entry(name, Kind.HARDLINK, new byte[0], 0644, target);
        }

        static Entry device(String name) {
            return new Entry(name, Kind.DEVICE, new byte[0], 0644, null);
        }
    }

    enum Format {
        ZIP, TAR_GZ;

        Path write(Path file, List<Entry> entries) throws IOException {
            Files.createDirectories(file.getParent());
            if (this == ZIP) zip(file, entries);
            else tarGz(file, entries);
            return file;
        }
    }

    private Archives() {}

    static void zip(Path file, List<Entry> entries) throws IOException {
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(file)) {
            for (Entry e : entries) {
                ZipArchiveEntry z = new ZipArchiveEntry(e.kind() == Kind.DIR && !e.name().endsWith("/") ? e.name() + "/" : e.name());
                int type = switch (e.kind()) {
                    case FILE -> 0100000;
                    case DIR -> 0040000;
                    case SYMLINK, HARDLINK -> 0120000;
                    case DEVICE -> 0020000;
                };
                z.setUnixMode(type | e.mode());
                zip.putArchiveEntry(z);
                zip.write(e.link() != null ? e.link().getBytes() : e.data());
                zip.closeArchiveEntry();
            }
        }
    }

    static void tarGz(Path file, List<Entry> entries) throws IOException {
        try (OutputStream out = Files.newOutputStream(file);
             GzipCompressorOutputStream gz = new GzipCompressorOutputStream(out);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(gz)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Entry e : entries) {
                TarArchiveEntry t = switch (e.kind()) {
                    case FILE -> new TarArchiveEntry(e.name(), true);
                    case DIR -> new TarArchiveEntry(e.name().endsWith("/") ? e.name() : e.name() + "/", true);
                    case SYMLINK -> new TarArchiveEntry(e.name(), TarConstants.LF_SYMLINK, true);
                    case HARDLINK -> new TarArchiveEntry(e.name(), TarConstants.LF_LINK, true);
                    case DEVICE -> new TarArchiveEntry(e.name(), TarConstants.LF_CHR, true);
                };
                t.setMode(e.mode());
                if (e.link() != null) t.setLinkName(e.link());
                if (e.kind() == Kind.FILE) t.setSize(e.data().length);
                tar.putArchiveEntry(t);
                if (e.kind() == Kind.FILE) tar.write(e.data());
                tar.closeArchiveEntry();
            }
        }
    }
}
