package dev.lattice.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Free TCP ports for workloads that serve HTTP: the kernel picks one the moment it is asked. */
final class Ports {
    private Ports() {}

    /**
     * A port free right now. Another program could take it before the workload binds it; the
     * workload then fails to start and its restart gets a retry (rare: the kernel hands out
     * ephemeral ports in turn, not the one just released).
     */
    static int free() {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(false);
            s.bind(new InetSocketAddress("0.0.0.0", 0));
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on this machine", e);
        }
    }
}
