package dev.lattice.auth;

import dev.lattice.bus.BusConfig;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * The auth service's settings.
 *
 * @param tokenTtl      how long a token is valid ({@code LATTICE_TOKEN_TTL}, ISO-8601 or seconds; default 1 h)
 * @param adminPassword the first admin's password, used only when no user exists ({@code LATTICE_ADMIN_PASSWORD})
 */
public record AuthConfig(BusConfig bus, Duration tokenTtl, String adminPassword) {
    public static final Duration DEFAULT_TOKEN_TTL = Duration.ofHours(1);

    public AuthConfig {
        Objects.requireNonNull(bus, "bus");
        if (tokenTtl == null) tokenTtl = DEFAULT_TOKEN_TTL;
        if (tokenTtl.isNegative() || tokenTtl.isZero()) {
            throw new IllegalArgumentException("LATTICE_TOKEN_TTL must be positive, not " + tokenTtl);
        }
    }

    /** Never prints the password. */
    @Override
    public String toString() {
        return "AuthConfig[bus=" + bus + ", tokenTtl=" + tokenTtl + ", adminPassword=" + (adminPassword == null ? "unset" : "***") + "]";
    }

    public static AuthConfig fromEnv(BusConfig bus, Map<String, String> env) {
        String ttl = env.get("LATTICE_TOKEN_TTL");
        Duration parsed = null;
        if (ttl != null && !ttl.isBlank()) {
            try {
                parsed = ttl.startsWith("P") ? Duration.parse(ttl) : Duration.ofSeconds(Long.parseLong(ttl));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("LATTICE_TOKEN_TTL: '" + ttl + "' is neither seconds nor an ISO-8601 duration");
            }
        }
        return new AuthConfig(bus, parsed, env.get("LATTICE_ADMIN_PASSWORD"));
    }
}
