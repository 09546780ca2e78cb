package dev.lattice.workloads.bundle;

import dev.lattice.core.LatticeException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The two archive formats a bundle may be, told apart by their first bytes: an upload's file name proves nothing. */
enum BundleFormat {
    ZIP, TAR_GZ;

    static BundleFormat detect(Path archive) {
        byte[] head = new byte[4];
        int n;
        try (InputStream in = Files.newInputStream(archive)) {
            n = in.readNBytes(head, 0, 4);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the uploaded bundle " + archive, e);
        }
        // Local file header, or the end record of an empty zip.
        if (n == 4 && head[0] == 'P' && head[1] == 'K' && ((head[2] == 3 && head[3] == 4) || (head[2] == 5 && head[3] == 6))) return ZIP;
        if (n >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) return TAR_GZ;
        throw LatticeException.badRequest("apps:bundle.format", "app: a bundle must be a .zip or a .tar.gz file, and this one is neither");
    }
}
