package dev.lattice.api.repository;

import dev.lattice.bus.Bus;
import dev.lattice.bus.state.StateView;
import dev.lattice.bus.state.Versioned;
import dev.lattice.core.LatticeException;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * The advertised HTTP endpoints of platform services, read from {@code lattice.state.endpoint}:
 * how the gateway and the agents find the repository, and the key its port wants, without
 * configuring either. Reads never block. Thread-safe.
 */
public final class Endpoints {
    /**
     * Every view this process follows, so that an {@link ArtefactClient} given only a base URL
     * finds that URL's key ({@link #keyOf}) without the URL itself carrying it (URLs end up in
     * messages and logs; keys must not). Weak: a view nobody uses any more goes.
     */
    private static final Set<Endpoints> FOLLOWED = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

    private final StateView<Endpoint> view;

    public Endpoints(StateView<Endpoint> view) {
        this.view = view;
        FOLLOWED.add(this);
    }

    /** The key advertised with the base URL {@code url} in any view this process follows. */
    public static Optional<String> keyOf(String url) {
        String base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        synchronized (FOLLOWED) {
            for (Endpoints e : FOLLOWED) {
                for (Endpoint endpoint : e.list()) {
                    if (endpoint.url().equals(base) && endpoint.key() != null) return Optional.of(endpoint.key());
                }
            }
        }
        return Optional.empty();
    }

    /** Follows the endpoint kind on {@code bus} (closed with it), caught up before it returns. */
    public static Endpoints follow(Bus bus, Duration catchUp) {
        StateView<Endpoint> view = bus.view(Endpoint.KIND, Endpoint.class);
        view.awaitCaughtUp(catchUp);
        return new Endpoints(view);
    }

    public Optional<Endpoint> get(String service) {
        return view.get(service).map(Versioned::value);
    }

    /** The base URL {@code service} advertises, if it does. */
    public Optional<String> url(String service) {
        return get(service).map(Endpoint::url);
    }

    /** The repository's base URL; a 503 {@link LatticeException} while none is advertised. */
    public String repository() {
        return url(RepositoryCommands.SERVICE).orElseThrow(() -> LatticeException.unavailable("repository:unavailable",
                "no artefact repository is advertised yet: is the repository service running?"));
    }

    /** The repository's key, for clients other than {@link ArtefactClient} (which finds it itself). */
    public Optional<String> repositoryKey() {
        return get(RepositoryCommands.SERVICE).map(Endpoint::key);
    }

    public List<Endpoint> list() {
        return view.list().stream().map(Versioned::value).toList();
    }
}
