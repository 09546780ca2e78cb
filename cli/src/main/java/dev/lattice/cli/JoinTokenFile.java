package dev.lattice.cli;

import dev.lattice.core.SecretTokens;
import dev.lattice.workloads.JoinToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The join token {@code lattice up} makes on first start ({@code DATA/join-token}, mode 600): the
 * node manager knows only its hash (and forgets it for good once an admin revokes it); {@code up}
 * prints the command that uses it. More tokens: {@code POST /api/v1/nodes/join-tokens}.
 */
final class JoinTokenFile {
    private JoinTokenFile() {}

    static String loadOrCreate(Path file) {
        try {
            if (Files.exists(file)) {
                String saved = Files.readString(file).strip();
                if (SecretTokens.idOf(JoinToken.PREFIX, saved).isPresent()) return saved;
                throw new IllegalStateException(file + " does not hold a join token; delete it to make a new one");
            }
            String token = SecretTokens.newToken(JoinToken.PREFIX, JoinToken.INITIAL);
            // Written whole under another name, owner-only from birth, then renamed: never half a token.
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, token + "\n");
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return token;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the join token in " + file, e);
        }
    }
}
