package dev.lattice.gateway.http;

import dev.lattice.api.repository.ArtefactClient;
import dev.lattice.api.repository.Stored;
import dev.lattice.core.LatticeException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Uploaded files on their way to a service's check: streamed into the repository's staging area
 * (through a temporary file, as the repository wants the length first), from where the service
 * that checks them promotes or discards them. So a refused upload leaves nothing stored.
 */
public final class Uploads {
    private Uploads() {}

    /** Stages {@code content} (closed here); a 503 when the repository cannot take it. */
    public static Stored stage(ArtefactClient artefacts, String repositoryUrl, InputStream content, String bearerToken) throws IOException {
        Path tmp = Files.createTempFile("lattice-upload-", ".part");
        try (content) {
            Files.copy(content, tmp, StandardCopyOption.REPLACE_EXISTING);
            return artefacts.stage(repositoryUrl, tmp, bearerToken);
        } catch (UncheckedIOException e) {
            throw LatticeException.unavailable("gateway:repository", "the upload could not be stored: " + e.getMessage());
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
