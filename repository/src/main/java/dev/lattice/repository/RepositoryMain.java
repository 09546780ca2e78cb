package dev.lattice.repository;

import dev.lattice.api.auth.VerifiedCaller;
import dev.lattice.api.auth.SigningKey;
import dev.lattice.api.auth.TokenVerifier;
import dev.lattice.api.repository.Endpoint;
import dev.lattice.bus.Bus;
import dev.lattice.bus.heartbeat.Heartbeat;
import dev.lattice.bus.state.StateReporter;
import dev.lattice.http.ServiceKey;
import dev.lattice.repository.http.ArtefactServer;
import dev.lattice.repository.store.DiskStore;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the repository service:
 * <ol>
 *   <li>connects to Kafka and starts the heartbeat (STARTING);</li>
 *   <li>follows the signing keys, to check upload tokens locally as the gateway does;</li>
 *   <li>opens the artefact store on disk (removing uploads a crash left unfinished);</li>
 *   <li>makes a random key, serves HTTP to whoever presents it, then advertises its base URL and
 *       the key as endpoint {@code repository} on {@code lattice.state.endpoint};</li>
 *   <li>reports UP.</li>
 * </ol>
 * Closing withdraws the endpoint, stops HTTP and disconnects.
 */
public final class RepositoryMain implements AutoCloseable {
    /** The service's name: its heartbeat, its instance names and its endpoint key. */
    public static final String SERVICE = "repository";
    private static final Logger log = LoggerFactory.getLogger(RepositoryMain.class);
    private static final Duration CATCH_UP = Duration.ofSeconds(60);

    private final Bus bus;
    private final ArtefactServer server;
    private final StateReporter<Endpoint> endpoints;
    private final String url;

    private RepositoryMain(Bus bus, ArtefactServer server, StateReporter<Endpoint> endpoints, String url) {
        this.bus = bus;
        this.server = server;
        this.endpoints = endpoints;
        this.url = url;
    }

    public static RepositoryMain start(RepositoryConfig config, Clock clock) {
        Bus bus = Bus.connect(config.bus(), clock);
        ArtefactServer server = null;
        try {
            var heartbeat = bus.heartbeat();
            var keys = bus.view(SigningKey.KIND, SigningKey.class);
            keys.awaitCaughtUp(CATCH_UP);
            DiskStore store = new DiskStore(config.dir());
            DiskStore staging = new DiskStore(config.dir().resolve("staging"));
            // A new key at every start, advertised with the URL: no file to guard, and a key that
            // leaked dies with the process.
            String key = ServiceKey.generate();
            server = new ArtefactServer(store, staging, new TokenVerifier(keys, clock), config.maxBytes(), key)
                    .start(config.host(), config.port());
            bus.serve(new Staging(store, staging, config.maxBytes(), clock).handlers(), VerifiedCaller.of(new TokenVerifier(keys, clock)));
            String url = config.advertisedUrl(server.port());
            StateReporter<Endpoint> endpoints = bus.reporter(Endpoint.KIND);
            endpoints.put(SERVICE, new Endpoint(SERVICE, url, config.bus().instance(), clock.instant(), key));
            // Advertised before UP: whoever sees the heartbeat can find the URL.
            bus.flush();
            heartbeat.status(Heartbeat.Status.UP);
            log.info("repository serving {} from {} (artefacts up to {} bytes)", url, config.dir(), config.maxBytes());
            return new RepositoryMain(bus, server, endpoints, url);
        } catch (RuntimeException e) {
            if (server != null) server.stop();
            bus.close();
            throw e;
        }
    }

    /** The port HTTP listens on. */
    public int port() {
        return server.port();
    }

    /** The base URL this instance advertises. */
    public String url() {
        return url;
    }

    @Override
    public void close() {
        // One repository per store directory: a clean stop means there is none to go to until it is back.
        // No flush: with the broker gone it would wait out the delivery timeout; the bus closes its
        // producer with a bounded wait, which sends the tombstone if it can.
        try {
            endpoints.remove(SERVICE);
        } catch (RuntimeException e) {
            log.warn("cannot withdraw the repository endpoint: {}", e.toString());
        }
        server.stop();
        bus.close();
    }
}
