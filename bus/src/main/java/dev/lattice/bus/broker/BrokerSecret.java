package dev.lattice.bus.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded broker's one password: 256 random bits, made on first start and kept in a file
 * only its owner can read (mode 600), so later starts, and the clients they hand it to, agree.
 */
final class BrokerSecret {
    private static final Logger log = LoggerFactory.getLogger(BrokerSecret.class);
    private static final Set<PosixFilePermission> OWNER_ONLY = EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    private static final String FORMAT = "[A-Za-z0-9_-]{32,}";

    private BrokerSecret() {}

    /** The secret in {@code file}, made there first if the file does not exist. */
    static String loadOrCreate(Path file) {
        try {
            if (Files.exists(file)) return load(file);
            byte[] bytes = new byte[32];
            new SecureRandom().nextBytes(bytes);
            String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            // Written whole under another name, owner-only from birth, then renamed: never half a secret.
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            if (posix(file)) Files.createFile(tmp, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                out.write(java.nio.ByteBuffer.wrap((secret + "\n").getBytes(StandardCharsets.US_ASCII)));
                out.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            log.info("made a new Kafka secret in {}", file);
            return secret;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the Kafka secret in " + file, e);
        }
    }

    private static String load(Path file) throws IOException {
        if (posix(file) && !Files.getPosixFilePermissions(file).equals(OWNER_ONLY)) {
            log.warn("{} was readable by others; making it owner-only (600)", file);
            Files.setPosixFilePermissions(file, OWNER_ONLY);
        }
        String secret = Files.readString(file, StandardCharsets.US_ASCII).strip();
        if (!secret.matches(FORMAT)) {
            throw new IllegalStateException(file + " does not hold a Kafka secret (at least 32 of A-Z a-z 0-9 _ -); "
                    + "delete it to make a new one");
        }
        return secret;
    }

    private static boolean posix(Path file) {
        return Files.getFileAttributeView(file.getParent(), PosixFileAttributeView.class) != null;
    }
}
