package dev.lattice.repository;

import java.util.Objects;

/**
 * Where a service that answers HTTP on the internal network can be reached, published on the
 * compacted topic {@code lattice.state.endpoint} under the service's name. Each service writes
 * its own key (through a {@link dev.lattice.bus.state.StateReporter}), so the kind has no single
 * owner; readers follow it through {@link Endpoints}.
 *
 * @param service  the service, e.g. {@code repository}; also the key
 * @param url      its base URL, without a trailing slash, e.g. {@code http://127.0.0.1:8081}
 * @param instance the process instance that advertised it (its {@code LATTICE_INSTANCE})
 * @param since    when that instance started listening
 */
public record Endpoint(String service, String url, String instance, java.time.Instant since) {
    public static final String KIND = "endpoint";

    public Endpoint {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(url, "url");
        if (!url.startsWith("http://") && !url.startsWith("https://")) {
            throw new IllegalArgumentException("url: '" + url + "' is not an http:// or https:// URL");
        }
        while (url.endsWith("/")) url = url.substring(0, url.length() - 1);
    }
}
