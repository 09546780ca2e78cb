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
 * the one saved in {@code DATA/admin-password} by an earlier start; otherwise a new random one.
 * A new one is saved (mode 600) and shown only once auth has really created the admin with it,
 * so neither the file nor the console ever holds a password that does not work.
 */
record AdminPassword(String value, Source source, Path file) {
    enum Source { ENVIRONMENT, FILE, GENERATED }

    static final int MIN_LENGTH = 8;

    static AdminPassword resolve(Path dataDir, String fromEnv) {
        Path file = dataDir.resolve("admin-password");
        if (fromEnv != null && !fromEnv.isEmpty()) {
            if (fromEnv.length() < MIN_LENGTH) {
                throw new IllegalArgumentException("LATTICE_ADMIN_PASSWORD must have at least " + MIN_LENGTH + " characters");
            }
            return new AdminPassword(fromEnv, Source.ENVIRONMENT, file);
        }
        try {
            if (Files.exists(file)) {
                String saved = Files.readString(file).trim();
                if (saved.length() >= MIN_LENGTH) return new AdminPassword(saved, Source.FILE, file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        byte[] random = new byte[12];
        new SecureRandom().nextBytes(random);
        return new AdminPassword(Base64.getUrlEncoder().withoutPadding().encodeToString(random), Source.GENERATED, file);
    }

    /** Called once auth has created the admin with this password: keeps a generated one and says how to log in. */
    String firstStartMessage() {
        if (source == Source.ENVIRONMENT) return "First start: user 'admin' created with the password in LATTICE_ADMIN_PASSWORD";
        if (source == Source.GENERATED) save();
        return "First start: log in as 'admin' with password " + value + "  (saved in " + file + ")";
    }

    private void save() {
        try {
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, value + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the admin password in " + file, e);
        }
    }
}
