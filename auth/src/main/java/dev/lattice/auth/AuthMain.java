package dev.lattice.auth;

import dev.lattice.api.auth.ApiKey;
import dev.lattice.api.auth.ApiKeyVerifier;
import dev.lattice.api.auth.SigningKey;
import dev.lattice.api.auth.TokenVerifier;
import dev.lattice.auth.keys.ApiKeyCommands;
import dev.lattice.auth.tokens.CallerCheck;
import dev.lattice.auth.tokens.TokenIssuer;
import dev.lattice.auth.users.User;
import dev.lattice.auth.users.UserCommands;
import dev.lattice.bus.Bus;
import dev.lattice.bus.heartbeat.Heartbeat;
import dev.lattice.bus.heartbeat.HeartbeatPublisher;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the auth service:
 * <ol>
 *   <li>connects to Kafka and starts the heartbeat (STARTING);</li>
 *   <li>becomes the owner of users, signing keys and API keys, fencing any earlier owner, and rebuilds
 *       both views from their topics;</li>
 *   <li>makes and publishes this instance's signing key;</li>
 *   <li>creates the first admin if there are no users;</li>
 *   <li>serves {@code lattice.requests.auth} and reports UP.</li>
 * </ol>
 */
public final class AuthMain implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AuthMain.class);
    private static final Duration CATCH_UP = Duration.ofSeconds(60);

    private final Bus bus;

    private AuthMain(Bus bus) {
        this.bus = bus;
    }

    public static AuthMain start(AuthConfig config, Clock clock) {
        Bus bus = Bus.connect(config.bus(), clock);
        try {
            HeartbeatPublisher heartbeat = bus.heartbeat();
            var users = bus.own(User.KIND, User.class, CATCH_UP);
            var keys = bus.own(SigningKey.KIND, SigningKey.class, CATCH_UP);
            TokenIssuer issuer = TokenIssuer.start(keys, config.tokenTtl(), clock);
            UserCommands commands = new UserCommands(users, issuer, clock);
            String password = config.adminPassword();
            if (password == null && users.view().size() == 0) {
                password = HexFormat.of().formatHex(randomBytes(12));
                log.warn("no LATTICE_ADMIN_PASSWORD given: the first admin's password is {}", password);
            }
            if (password != null) commands.bootstrapAdmin(password);
            var apiKeys = bus.own(ApiKey.KIND, ApiKey.class, CATCH_UP);
            var handlers = new java.util.HashMap<>(commands.handlers());
            handlers.putAll(new ApiKeyCommands(apiKeys, issuer, clock).handlers());
            // Acts for a user only on that user's own token or API key (CallerCheck), not on the gateway's word.
            bus.serve(handlers, new CallerCheck(new TokenVerifier(keys.view(), clock), new ApiKeyVerifier(apiKeys.view(), clock)));
            heartbeat.status(Heartbeat.Status.UP);
            log.info("auth ready: {} users", users.view().size());
            return new AuthMain(bus);
        } catch (RuntimeException e) {
            bus.close();
            throw e;
        }
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        new SecureRandom().nextBytes(b);
        return b;
    }

    @Override
    public void close() {
        bus.close();
    }
}
