package dev.lattice.repository;

import dev.lattice.bus.BusConfig;
import dev.lattice.core.Env;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * The repository service's settings.
 *
 * @param dir      where artefacts are stored ({@code LATTICE_REPOSITORY_DIR}; default
 *                 {@code $LATTICE_DATA/repository}; one of the two must be set)
 * @param host     interface to listen on ({@code LATTICE_REPOSITORY_HOST}, default {@code 127.0.0.1})
 * @param port     HTTP port ({@code LATTICE_REPOSITORY_PORT}, default 0: any free port)
 * @param url      the base URL advertised to others ({@code LATTICE_REPOSITORY_URL}), or null for
 *                 {@code http://<host>:<actual port>} (127.0.0.1 when listening on every interface)
 * @param maxBytes largest artefact accepted ({@code LATTICE_ARTEFACT_MAX_BYTES}, default 512 MiB)
 */
public record RepositoryConfig(BusConfig bus, Path dir, String host, int port, String url, long maxBytes) {
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final long DEFAULT_MAX_BYTES = 512L * 1024 * 1024;

    public RepositoryConfig {
        Objects.requireNonNull(bus, "bus");
        Objects.requireNonNull(dir, "dir (LATTICE_REPOSITORY_DIR)");
        if (host == null || host.isBlank()) host = DEFAULT_HOST;
        if (port < 0 || port > 65535) throw new IllegalArgumentException("LATTICE_REPOSITORY_PORT: " + port + " is not a port");
        if (url != null && url.isBlank()) url = null;
        if (url != null) {
            if (!url.startsWith("http://") && !url.startsWith("https://")) {
                throw new IllegalArgumentException("LATTICE_REPOSITORY_URL: '" + url + "' is not an http:// or https:// URL");
            }
            while (url.endsWith("/")) url = url.substring(0, url.length() - 1);
        }
        if (maxBytes <= 0) throw new IllegalArgumentException("LATTICE_ARTEFACT_MAX_BYTES must be positive, not " + maxBytes);
    }

    public static RepositoryConfig fromEnv(BusConfig bus, Map<String, String> env) {
        Env e = Env.of(env);
        return new RepositoryConfig(bus, dirOf(e), e.string("LATTICE_REPOSITORY_HOST", null),
                e.port("LATTICE_REPOSITORY_PORT", 0),
                e.string("LATTICE_REPOSITORY_URL", null),
                e.number("LATTICE_ARTEFACT_MAX_BYTES", DEFAULT_MAX_BYTES));
    }

    /** The URL to advertise once listening on {@code actualPort}. */
    public String advertisedUrl(int actualPort) {
        if (url != null) return url;
        String h = host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]") ? "127.0.0.1" : host;
        if (h.contains(":") && !h.startsWith("[")) h = "[" + h + "]";
        return "http://" + h + ":" + actualPort;
    }

    private static Path dirOf(Env env) {
        return env.string("LATTICE_REPOSITORY_DIR").map(Path::of)
                .or(() -> env.string("LATTICE_DATA").map(data -> Path.of(data, "repository")))
                .orElseThrow(() -> new IllegalArgumentException("LATTICE_REPOSITORY_DIR: not set, and no LATTICE_DATA to put the artefacts under"));
    }
}
