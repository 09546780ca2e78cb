package dev.lattice.gateway;

import dev.lattice.auth.SigningKey;
import dev.lattice.auth.TokenVerifier;
import dev.lattice.bus.Bus;
import dev.lattice.bus.heartbeat.Heartbeat;
import dev.lattice.gateway.health.HealthRoutes;
import dev.lattice.gateway.http.Api;
import dev.lattice.gateway.http.Authenticator;
import dev.lattice.gateway.http.Bodies;
import dev.lattice.gateway.http.Route;
import dev.lattice.gateway.users.UserRoutes;
import dev.lattice.monitor.HealthReport;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the gateway:
 * <ol>
 *   <li>connects to Kafka and starts the heartbeat (STARTING);</li>
 *   <li>follows the signing keys (to check tokens locally) and the health reports;</li>
 *   <li>builds every route group and the HTTP server, and listens;</li>
 *   <li>reports UP.</li>
 * </ol>
 * Stateless: any number of gateways may run side by side.
 */
public final class GatewayMain implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GatewayMain.class);

    private final Bus bus;
    private final Api api;

    private GatewayMain(Bus bus, Api api) {
        this.bus = bus;
        this.api = api;
    }

    public static GatewayMain start(GatewayConfig config, Clock clock) {
        Bus bus = Bus.connect(config.bus(), clock);
        try {
            var heartbeat = bus.heartbeat();
            var keys = bus.view(SigningKey.KIND, SigningKey.class);
            var health = bus.view(HealthReport.KIND, HealthReport.class);
            var client = bus.client();
            keys.awaitCaughtUp(Duration.ofSeconds(60));
            health.awaitCaughtUp(Duration.ofSeconds(60));

            Bodies bodies = new Bodies(config.maxBodyBytes());
            List<Route> routes = new ArrayList<>();
            routes.addAll(new UserRoutes(client, bodies).routes());
            routes.addAll(new HealthRoutes(health, clock).routes());
            Api api = new Api(routes, new Authenticator(new TokenVerifier(keys, clock)), config.maxBodyBytes())
                    .start(config.host(), config.port());
            heartbeat.status(Heartbeat.Status.UP);
            log.info("gateway listening on {}:{}", config.host(), api.port());
            return new GatewayMain(bus, api);
        } catch (RuntimeException e) {
            bus.close();
            throw e;
        }
    }

    public int port() {
        return api.port();
    }

    public List<Route> routes() {
        return api.routes();
    }

    @Override
    public void close() {
        api.stop();
        bus.close();
    }
}
