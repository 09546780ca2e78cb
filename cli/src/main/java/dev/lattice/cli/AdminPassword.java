package dev.lattice.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The first admin's password, as API.md says: {@code LATTICE_ADMIN_PASSWORD} if set; otherwise
 * the one saved in {@code DATA/admin-password} by an earlier start; otherwise a new random one,
 * saved there with mode 600 and shown once.
 *
 * @param isNew true when this start made it (so it should be shown)
 */
record AdminPassword(String value, boolean isNew, Path file) {

    static AdminPassword resolve(Path dataDir, String fromEnv) {
        Path file = dataDir.resolve("admin-password");
        if (fromEnv != null && !fromEnv.isBlank()) return new AdminPassword(fromEnv, false, null);
        try {
            if (Files.exists(file)) return new AdminPassword(Files.readString(file).trim(), false, file);
            byte[] random = new byte[12];
            new SecureRandom().nextBytes(random);
            String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, password + "\n");
            return new AdminPassword(password, true, file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the admin password in " + file, e);
        }
    }
}
