package dev.lattice.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The probe presents a workload's serve key, as a model server wants it. */
class ReadinessProbeTest {
    private static final String KEY = "serve-key-0123456789abcdef0123456789abcdef";
    private HttpServer server;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v2/health/ready", exchange -> {
            boolean keyed = ("Bearer " + KEY).equals(exchange.getRequestHeaders().getFirst("Authorization"));
            exchange.sendResponseHeaders(keyed ? 200 : 401, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void sendsTheServeKeyFromTheLaunchEnv() {
        int port = server.getAddress().getPort();

        assertThat(new ReadinessProbe("127.0.0.1", port, "/v2/health/ready", Map.of("LATTICE_SERVE_KEY", KEY)).check()).isNull();
        assertThat(new ReadinessProbe("127.0.0.1", port, "/v2/health/ready", Map.of()).check()).isEqualTo("/v2/health/ready answered 401");
        assertThat(new ReadinessProbe("127.0.0.1", port, "/v2/health/ready", Map.of("LATTICE_SERVE_KEY", "other")).check())
                .isEqualTo("/v2/health/ready answered 401");
    }
}
