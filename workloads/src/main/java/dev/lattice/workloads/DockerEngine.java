package dev.lattice.workloads;

/**
 * The Docker engine of a remote Docker server node, as its agent reports it and
 * {@code GET /api/v1/nodes/{name}} shows it (never its TLS key).
 *
 * @param host          the engine's address, e.g. {@code tcp://10.0.0.5:2376}
 * @param serverVersion the engine's version, as it says; null while it does not answer
 */
public record DockerEngine(String host, String serverVersion) {}
