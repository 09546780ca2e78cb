package dev.lattice.api.repository;

import dev.lattice.bus.rpc.RequestClient;
import dev.lattice.core.Principal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a service that checks uploads does with the files the gateway staged for it: promote them
 * into the store once the upload passed, or discard them when it did not (so a refused upload
 * leaves nothing stored), and clean the scratch folder it checked them in. Stateless.
 */
public final class StagedFiles {
    private static final Logger log = LoggerFactory.getLogger(StagedFiles.class);

    private StagedFiles() {}

    /** Moves staged files into the store, as service {@code service}. */
    public static void promote(RequestClient client, String service, List<String> sha256s) {
        client.call(RepositoryCommands.SERVICE, RepositoryCommands.PROMOTE, new RepositoryCommands.Staged(sha256s),
                Principal.service(service), Map.class);
    }

    /** Deletes staged files; a failure is only logged, as the staging area's expiry removes them within the hour. */
    public static void discard(RequestClient client, String service, List<String> sha256s) {
        try {
            client.call(RepositoryCommands.SERVICE, RepositoryCommands.DISCARD, new RepositoryCommands.Staged(sha256s),
                    Principal.service(service), Map.class);
        } catch (RuntimeException e) {
            log.warn("cannot discard staged {}: {}", sha256s, e.toString());
        }
    }

    /** Deletes a scratch folder and everything in it, logging (not throwing) what cannot be deleted. */
    public static void deleteTree(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            log.debug("cannot clean {}: {}", dir, e.toString());
        }
    }
}
