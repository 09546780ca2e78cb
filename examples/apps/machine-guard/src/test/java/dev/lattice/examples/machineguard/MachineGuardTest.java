package dev.lattice.examples.machineguard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.lattice.sdk.Lattice;
import dev.lattice.sdk.Reading;
import dev.lattice.sdk.Subscription;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The guard against a stand-in gateway: the model answers "anomaly" above 70 °C, commands and
 * outputs are recorded.
 */
class MachineGuardTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final BlockingQueue<JsonNode> commands = new LinkedBlockingQueue<>();
    private final BlockingQueue<JsonNode> outputs = new LinkedBlockingQueue<>();
    private final BlockingQueue<JsonNode> predictions = new LinkedBlockingQueue<>();
    private final AtomicInteger failPredictions = new AtomicInteger();
    private final AtomicInteger failCommands = new AtomicInteger();
    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile String stream = "";

    MachineGuardTest() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    @AfterEach
    void stop() {
        closing.countDown();
        server.stop(0);
        executor.shutdownNow();
    }

    private Lattice lattice(boolean quiet) {
        return Lattice.from(Map.of("LATTICE_URL", "http://127.0.0.1:" + server.getAddress().getPort(),
                "LATTICE_TOKEN", "t", "LATTICE_INSTANCE", "ai-1",
                "LATTICE_BINDINGS", "{\"machine\":[\"s-1\"],\"alarm\":[\"c-1\"]}",
                "LATTICE_PARAMS", "{\"quiet\":" + quiet + "}"), Duration.ofSeconds(5));
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String route = ex.getRequestMethod() + " " + ex.getRequestURI().getPath();
            byte[] body = ex.getRequestBody().readAllBytes();
            switch (route) {
                case "POST /api/v1/models/anomaly/predict" -> {
                    JsonNode request = JSON.readTree(body);
                    predictions.add(request);
                    if (failPredictions.getAndDecrement() > 0) {
                        send(ex, 503, "{\"title\":\"Service Unavailable\",\"status\":503,\"detail\":\"not ready\"}");
                    } else {
                        boolean anomaly = request.path("temperature").asDouble() > 70;
                        send(ex, 200, "{\"label\":\"" + (anomaly ? "anomaly" : "normal") + "\",\"score\":" + (anomaly ? 0.98 : 0.01) + "}");
                    }
                }
                case "POST /api/v1/controller-instances/c-1/commands" -> {
                    if (failCommands.getAndDecrement() > 0) {
                        send(ex, 503, "{\"title\":\"Service Unavailable\",\"status\":503,\"detail\":\"bus down\"}");
                    } else {
                        commands.add(JSON.readTree(body));
                        send(ex, 202, "{\"commandId\":\"cmd-" + commands.size() + "\"}");
                    }
                }
                case "POST /api/v1/app-instances/ai-1/outputs" -> {
                    outputs.add(JSON.readTree(body));
                    send(ex, 202, "{}");
                }
                case "GET /api/v1/sensor-instances/s-1/stream" -> {
                    ex.getResponseHeaders().set("Content-Type", "text/event-stream");
                    ex.sendResponseHeaders(200, 0);
                    OutputStream out = ex.getResponseBody();
                    out.write((": stream of reading events\n\n" + stream).getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    closing.await(10, TimeUnit.SECONDS);
                }
                default -> send(ex, 404, "{\"title\":\"Not Found\",\"status\":404,\"detail\":\"" + route + "\"}");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void send(HttpExchange ex, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", status >= 400 ? "application/problem+json" : "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
    }

    private static Reading reading(int second, double temperature) {
        return new Reading("s-1", Instant.parse("2026-03-01T10:00:00Z").plusSeconds(second),
                Map.of("temperature", temperature, "vibration", 2.2, "current", 10.4));
    }

    private static List<Boolean> sets(BlockingQueue<JsonNode> commands) {
        return commands.stream().peek(c -> assertThat(c.path("command").asText()).isEqualTo("set"))
                .map(c -> c.path("params").path("on").booleanValue()).toList();
    }

    @Test
    void soundsTheAlarmWhileTheLabelIsAnomaly() throws Exception {
        try (Lattice lattice = lattice(false)) {
            MachineGuard guard = new MachineGuard(lattice, "c-1", false);
            for (int i = 0; i < 5; i++) guard.onReading(reading(i, i == 2 || i == 3 ? 82.0 : 61.5));
        }
        // The first reading sets the alarm off; then on at the first anomaly and off at the first normal after it.
        assertThat(sets(commands)).containsExactly(false, true, false);
        assertThat(outputs).extracting(o -> o.path("alarm").booleanValue()).containsExactly(false, false, true, true, false);
        assertThat(outputs).extracting(o -> o.path("label").asText()).containsExactly("normal", "normal", "anomaly", "anomaly", "normal");
        assertThat(predictions.peek()).isEqualTo(JSON.readTree("{\"temperature\":61.5,\"vibration\":2.2,\"current\":10.4}"));
        assertThat(outputs.peek()).isEqualTo(JSON.readTree("{\"reading\":{\"ts\":\"2026-03-01T10:00:00Z\",\"values\":"
                + "{\"temperature\":61.5,\"vibration\":2.2,\"current\":10.4}},\"label\":\"normal\",\"score\":0.01,\"alarm\":false}"));
    }

    @Test
    void neverCommandsWhenQuiet() throws Exception {
        try (Lattice lattice = lattice(true)) {
            MachineGuard guard = new MachineGuard(lattice, "c-1", true);
            guard.onReading(reading(0, 82.0));
            guard.onReading(reading(1, 61.5));
        }
        assertThat(commands).isEmpty();
        assertThat(outputs).extracting(o -> o.path("label").asText() + " " + o.path("alarm").booleanValue())
                .containsExactly("anomaly false", "normal false");
    }

    @Test
    void skipsAReadingTheModelCannotAnswerAndRetriesAFailedCommand() throws Exception {
        failPredictions.set(1);
        failCommands.set(1);
        try (Lattice lattice = lattice(false)) {
            MachineGuard guard = new MachineGuard(lattice, "c-1", false);
            guard.onReading(reading(0, 82.0));   // no prediction: skipped
            guard.onReading(reading(1, 82.0));   // the command fails: the alarm stays unknown
            guard.onReading(reading(2, 82.0));   // tried again
            guard.onReading(reading(3, 83.0));
        }
        assertThat(sets(commands)).containsExactly(true);
        assertThat(outputs).extracting(o -> o.path("alarm").booleanValue()).containsExactly(false, true, true);
    }

    @Test
    void followsTheMachinesStream() throws Exception {
        stream = "event: reading\ndata: {\"ts\":\"2026-03-01T10:00:00Z\",\"values\":{\"temperature\":82.0,\"vibration\":6.1}}\n\n"
                + "event: reading\ndata: {\"ts\":\"2026-03-01T10:00:01Z\",\"values\":{\"temperature\":61.5,\"vibration\":2.2,\"current\":10.4}}\n\n";
        try (Lattice lattice = lattice(false); Subscription subscription = MachineGuard.start(lattice)) {
            assertThat(subscription.sensorId()).isEqualTo("s-1");
            JsonNode first = outputs.poll(5, TimeUnit.SECONDS);
            JsonNode second = outputs.poll(5, TimeUnit.SECONDS);
            assertThat(first).isNotNull();
            assertThat(second).isNotNull();
            assertThat(first.path("alarm").booleanValue()).isTrue();
            assertThat(second.path("alarm").booleanValue()).isFalse();
            // current is left out, for the model's contract to impute
            assertThat(predictions.peek()).isEqualTo(JSON.readTree("{\"temperature\":82.0,\"vibration\":6.1}"));
            assertThat(sets(commands)).containsExactly(true, false);
        }
    }
}
