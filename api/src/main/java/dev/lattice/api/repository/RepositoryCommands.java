package dev.lattice.api.repository;

import dev.lattice.core.LatticeException;
import java.util.List;

/**
 * What platform services ask the repository over Kafka ({@code lattice.requests.repository}).
 * Uploads that must be checked before they count (a model and its contract) go to the staging
 * area first ({@code POST /staging}); the service that checked them then promotes them into the
 * store, or discards them, so a refused upload leaves nothing stored. Unclaimed staged files
 * expire after an hour.
 */
public final class RepositoryCommands {
    public static final String SERVICE = "repository";
    public static final String PROMOTE = "promote-artefacts";
    public static final String DISCARD = "discard-artefacts";

    private RepositoryCommands() {}

    /** The staged artefacts to promote into the store, or to discard. */
    public record Staged(List<String> sha256s) {
        public Staged {
            if (sha256s == null || sha256s.isEmpty() || sha256s.size() > 16)
                throw LatticeException.badRequest("repository:staged", "sha256s: 1 to 16 hashes");
            sha256s.forEach(Sha256::require);
            sha256s = List.copyOf(sha256s);
        }
    }
}
