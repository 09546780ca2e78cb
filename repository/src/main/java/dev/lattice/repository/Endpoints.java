package dev.lattice.repository;

import dev.lattice.bus.Bus;
import dev.lattice.bus.state.StateView;
import dev.lattice.bus.state.Versioned;
import dev.lattice.core.LatticeException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The advertised HTTP endpoints of platform services, read from {@code lattice.state.endpoint}:
 * how the gateway and the agents find the repository without configuring its address.
 * Reads never block. Thread-safe.
 */
public final class Endpoints {
    private final StateView<Endpoint> view;

    public Endpoints(StateView<Endpoint> view) {
        this.view = view;
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
        return url(RepositoryMain.SERVICE).orElseThrow(() -> LatticeException.unavailable("repository:unavailable",
                "no artefact repository is advertised yet: is the repository service running?"));
    }

    public List<Endpoint> list() {
        return view.list().stream().map(Versioned::value).toList();
    }
}
