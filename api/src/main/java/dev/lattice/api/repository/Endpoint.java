package dev.lattice.api.repository;

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
 * @param key      the credential its port wants ({@code dev.lattice.http.ServiceKey}), or null for an
 *                 open one ({@code /metrics}). Only platform processes read this kind (workloads hold
 *                 no Kafka credentials); it is never shown in an answer or a log ({@link #toString}).
 */
public record Endpoint(String service, String url, String instance, java.time.Instant since, String key) {
    public static final String KIND = "endpoint";
    /** The header that carries an endpoint's key (uploads carry the user's token in Authorization as well). */
    public static final String KEY_HEADER = "Lattice-Key";

    /** An endpoint that needs no key. */
    public Endpoint(String service, String url, String instance, java.time.Instant since) {
        this(service, url, instance, since, null);
    }

    public Endpoint {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(url, "url");
        if (!url.startsWith("http://") && !url.startsWith("https://")) {
            throw new IllegalArgumentException("url: '" + url + "' is not an http:// or https:// URL");
        }
        while (url.endsWith("/")) url = url.substring(0, url.length() - 1);
    }

    @Override
    public String toString() {
        return "Endpoint[service=" + service + ", url=" + url + ", instance=" + instance + ", since=" + since
                + (key == null ? "" : ", key=***") + "]";
    }
}
