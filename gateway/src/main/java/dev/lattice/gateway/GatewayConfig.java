package dev.lattice.gateway;

import dev.lattice.bus.BusConfig;
import dev.lattice.core.Env;
import java.util.Map;
import java.util.Objects;

/**
 * The gateway's settings.
 *
 * @param host         interface to listen on ({@code LATTICE_GATEWAY_HOST}, default all)
 * @param port         HTTP port ({@code LATTICE_GATEWAY_PORT}, default 8080; 0 picks a free one)
 * @param maxBodyBytes largest JSON body accepted ({@code LATTICE_GATEWAY_MAX_BODY}, default 1 MiB)
 */
public record GatewayConfig(BusConfig bus, String host, int port, long maxBodyBytes) {
    public static final int DEFAULT_PORT = 8080;
    public static final long DEFAULT_MAX_BODY = 1024 * 1024;

    public GatewayConfig {
        Objects.requireNonNull(bus, "bus");
        if (host == null || host.isBlank()) host = "0.0.0.0";
        if (port < 0 || port > 65535) throw new IllegalArgumentException("LATTICE_GATEWAY_PORT: " + port + " is not a port");
        if (maxBodyBytes <= 0) throw new IllegalArgumentException("LATTICE_GATEWAY_MAX_BODY must be positive");
    }

    public static GatewayConfig fromEnv(BusConfig bus, Map<String, String> env) {
        Env e = Env.of(env);
        return new GatewayConfig(bus, e.string("LATTICE_GATEWAY_HOST", null), e.port("LATTICE_GATEWAY_PORT", DEFAULT_PORT),
                e.number("LATTICE_GATEWAY_MAX_BODY", DEFAULT_MAX_BODY));
    }
}
