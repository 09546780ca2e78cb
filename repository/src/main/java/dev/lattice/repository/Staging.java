package dev.lattice.repository;

import dev.lattice.api.repository.RepositoryCommands;
import dev.lattice.bus.rpc.Handler;
import dev.lattice.bus.rpc.Request;
import dev.lattice.core.LatticeException;
import dev.lattice.core.Principal;
import dev.lattice.repository.store.ArtefactStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Promotes staged artefacts into the store, or discards them, at a platform service's word
 * ({@link RepositoryCommands}); and lets unclaimed ones expire. Only services may ask: a user
 * could otherwise promote an upload that no service checked.
 */
final class Staging {
    private static final Logger log = LoggerFactory.getLogger(Staging.class);
    static final Duration EXPIRY = Duration.ofHours(1);

    private final ArtefactStore store;
    private final ArtefactStore staging;
    private final long maxBytes;
    private final Clock clock;

    Staging(ArtefactStore store, ArtefactStore staging, long maxBytes, Clock clock) {
        this.store = store;
        this.staging = staging;
        this.maxBytes = maxBytes;
        this.clock = clock;
        int expired = staging.deleteOlderThan(clock.instant().minus(EXPIRY));
        if (expired > 0) log.info("removed {} staged artefacts nobody claimed within {}", expired, EXPIRY);
    }

    Map<String, Handler> handlers() {
        return Map.of(RepositoryCommands.PROMOTE, this::promote, RepositoryCommands.DISCARD, this::discard);
    }

    private Object promote(Request request) {
        requireService(request);
        var staged = request.payload(RepositoryCommands.Staged.class);
        for (String sha : staged.sha256s()) {
            if (staging.exists(sha)) {
                try (var artefact = staging.open(sha).orElseThrow()) {
                    store.put(artefact.content(), maxBytes);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot promote " + sha, e);
                }
                staging.delete(sha);
            } else if (!store.exists(sha)) {
                throw LatticeException.notFound("repository:staged.unknown", "no staged artefact " + sha + " (expired?)");
            }
        }
        sweep();
        return Map.of("promoted", staged.sha256s());
    }

    private Object discard(Request request) {
        requireService(request);
        var staged = request.payload(RepositoryCommands.Staged.class);
        staged.sha256s().forEach(staging::delete);
        return Map.of("discarded", staged.sha256s());
    }

    /** Expiry runs along with the requests: no timer thread for a rare chore. */
    private void sweep() {
        staging.deleteOlderThan(clock.instant().minus(EXPIRY));
    }

    private static void requireService(Request request) {
        if (request.principal().kind() != Principal.Kind.SERVICE)
            throw LatticeException.forbidden("only platform services promote or discard staged artefacts");
    }
}
