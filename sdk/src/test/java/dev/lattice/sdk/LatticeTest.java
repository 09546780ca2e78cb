package dev.lattice.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LatticeTest {
    private final StubGateway stub;
    private final Lattice lattice;

    LatticeTest() throws Exception {
        stub = new StubGateway();
        lattice = Lattice.from(stub.env(), Duration.ofSeconds(5));
    }

    @AfterEach
    void close() {
        lattice.close();
        stub.close();
    }

    @Test
    void answersItsBindingsByName() {
        try (Lattice l = Lattice.from(EnvTest.valid())) {
            assertThat(l.instanceId()).isEqualTo("ai-1");
            assertThat(l.sensor("machine")).isEqualTo("s-1");
            assertThat(l.sensors("machine")).containsExactly("s-1");
            assertThat(l.controllers("alarm")).containsExactly("c-1", "c-2");
            assertThat(l.sensors("spare")).isEmpty();
            assertThatThrownBy(() -> l.controller("alarm")).isInstanceOf(IllegalStateException.class)
                    .hasMessage("binding 'alarm': holds 2 controller instances, not one; use controllers(\"alarm\")");
            assertThatThrownBy(() -> l.sensor("spare")).isInstanceOf(IllegalStateException.class)
                    .hasMessage("binding 'spare': holds 0 sensor instances, not one");
            assertThatThrownBy(() -> l.sensor("machines")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("binding 'machines': this instance has no such binding (it has [machine, alarm, spare])");
            assertThatThrownBy(() -> l.bindings().put("x", List.of())).isInstanceOf(UnsupportedOperationException.class);
        }
    }

    @Test
    void answersItsParamsByType() {
        try (Lattice l = Lattice.from(EnvTest.valid())) {
            assertThat(l.paramBoolean("quiet")).isTrue();
            assertThat(l.paramLong("limit")).isEqualTo(3L);
            assertThat(l.paramDouble("limit")).isEqualTo(3.0);
            assertThat(l.paramDouble("ratio")).isEqualTo(0.5);
            assertThat(l.paramString("label")).isEqualTo("hall");
            assertThat(l.param("big")).isEqualTo(12345678901L);
            assertThat(l.param("absent")).isNull();
            assertThat(l.paramBoolean("absent", true)).isTrue();
            assertThat(l.paramString("absent", "x")).isEqualTo("x");
            assertThat(l.paramLong("absent", 7)).isEqualTo(7L);
            assertThat(l.paramDouble("absent", 1.5)).isEqualTo(1.5);
            assertThatThrownBy(() -> l.paramBoolean("absent")).isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("LATTICE_PARAMS: this instance has no param 'absent'");
            assertThatThrownBy(() -> l.paramBoolean("label", false)).isInstanceOf(IllegalStateException.class)
                    .hasMessage("LATTICE_PARAMS: param 'label' is hall, not a boolean");
            assertThatThrownBy(() -> l.paramLong("ratio")).isInstanceOf(IllegalStateException.class)
                    .hasMessage("LATTICE_PARAMS: param 'ratio' is 0.5, not a whole number");
            assertThatThrownBy(() -> l.paramString("limit")).hasMessage("LATTICE_PARAMS: param 'limit' is 3, not a string");
        }
    }

    @Test
    void readsTheNewestReadingsWithItsToken() throws Exception {
        stub.on("GET", "/api/v1/sensor-instances/s-1/readings", (r, ex) -> StubGateway.json(ex, 200,
                "[{\"ts\":\"2026-03-01T10:00:02Z\",\"values\":{\"temperature\":61.5,\"vibration\":2,\"on\":true}},"
                        + "{\"ts\":\"2026-03-01T10:00:01.250Z\",\"values\":{\"temperature\":60.0}}]"));

        List<Reading> readings = lattice.readings("s-1", 2);

        StubGateway.Request request = stub.take();
        assertThat(request.path()).isEqualTo("/api/v1/sensor-instances/s-1/readings?limit=2");
        assertThat(request.authorization()).isEqualTo("Bearer " + StubGateway.TOKEN);
        assertThat(readings).containsExactly(
                new Reading("s-1", Instant.parse("2026-03-01T10:00:02Z"), Map.of("temperature", 61.5, "vibration", 2L, "on", true)),
                new Reading("s-1", Instant.parse("2026-03-01T10:00:01.250Z"), Map.of("temperature", 60.0)));
        assertThat(readings.get(0).number("vibration")).isEqualTo(2.0);
        assertThat(readings.get(0).values().keySet()).containsExactly("temperature", "vibration", "on");
        assertThatThrownBy(() -> readings.get(1).number("current")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("field 'current' is missing");
    }

    @Test
    void percentEncodesIdsInThePath() throws Exception {
        stub.on("GET", "/api/v1/sensor-instances/a%2Fb%20c/readings", (r, ex) -> StubGateway.json(ex, 200, "[]"));
        assertThat(lattice.readings("a/b c", 1)).isEmpty();
        assertThat(stub.take().path()).isEqualTo("/api/v1/sensor-instances/a%2Fb%20c/readings?limit=1");
    }

    @Test
    void sendsACommandAndAnswersItsId() throws Exception {
        stub.on("POST", "/api/v1/controller-instances/c-1/commands", (r, ex) -> StubGateway.json(ex, 202, "{\"commandId\":\"cmd-42\"}"));

        String id = lattice.command("c-1", "set", Map.of("on", true));

        StubGateway.Request request = stub.take();
        assertThat(id).isEqualTo("cmd-42");
        assertThat(request.contentType()).isEqualTo("application/json");
        assertThat(request.authorization()).isEqualTo("Bearer " + StubGateway.TOKEN);
        assertThat(request.body()).isEqualTo("{\"command\":\"set\",\"params\":{\"on\":true}}");
        lattice.command("c-1", "reset", null);
        assertThat(stub.take().body()).isEqualTo("{\"command\":\"reset\",\"params\":{}}");
    }

    @Test
    void asksAModelForAPrediction() throws Exception {
        stub.on("POST", "/api/v1/models/anomaly/predict", (r, ex) -> StubGateway.json(ex, 200, "{\"label\":\"anomaly\",\"score\":0.98}"));
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("temperature", 82.0);
        request.put("vibration", 6.1);

        JsonNode answer = lattice.predict("anomaly", request);

        assertThat(stub.take().body()).isEqualTo("{\"temperature\":82.0,\"vibration\":6.1}");
        assertThat(answer.path("label").asText()).isEqualTo("anomaly");
        assertThat(answer.path("score").asDouble()).isEqualTo(0.98);
    }

    record Features(double temperature, double vibration) {}

    @Test
    void writesRecordsAndTimesAsJson() throws Exception {
        stub.on("POST", "/api/v1/models/anomaly/predict", (r, ex) -> StubGateway.json(ex, 200, "[{\"label\":\"normal\"}]"));
        stub.on("POST", "/api/v1/app-instances/ai-7/outputs", (r, ex) -> StubGateway.json(ex, 201, "{}"));

        assertThat(lattice.predict("anomaly", List.of(new Features(61.5, 2.2))).get(0).path("label").asText()).isEqualTo("normal");
        assertThat(stub.take().body()).isEqualTo("[{\"temperature\":61.5,\"vibration\":2.2}]");
        Reading reading = new Reading("s-1", Instant.parse("2026-03-01T10:00:00Z"), Map.of("temperature", 61.5));
        lattice.emit(Map.of("reading", reading, "at", Instant.parse("2026-03-01T10:00:01Z")));
        assertThat(Wire.MAPPER.readTree(stub.take().body())).isEqualTo(Wire.MAPPER.readTree(
                "{\"at\":\"2026-03-01T10:00:01Z\",\"reading\":{\"sensorId\":\"s-1\",\"ts\":\"2026-03-01T10:00:00Z\",\"values\":{\"temperature\":61.5}}}"));
    }

    @Test
    void emitsAnOutputForItsOwnInstance() throws Exception {
        stub.on("POST", "/api/v1/app-instances/ai-7/outputs", (r, ex) -> StubGateway.send(ex, 202, "application/json", ""));

        lattice.emit(Map.of("label", "normal", "alarm", false));

        StubGateway.Request request = stub.take();
        assertThat(request.path()).isEqualTo("/api/v1/app-instances/ai-7/outputs");
        assertThat(Wire.MAPPER.readTree(request.body())).isEqualTo(Wire.MAPPER.readTree("{\"label\":\"normal\",\"alarm\":false}"));
    }

    @Test
    void turnsAProblemIntoAnApiException() {
        stub.on("POST", "/api/v1/models/anomaly/predict", (r, ex) -> StubGateway.problem(ex, 503, "Service Unavailable",
                "model 'anomaly' has no ready replica: deploy it first", "models:not-ready"));

        assertThatThrownBy(() -> lattice.predict("anomaly", Map.of("temperature", 1)))
                .isInstanceOfSatisfying(LatticeApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(503);
                    assertThat(e.title()).isEqualTo("Service Unavailable");
                    assertThat(e.detail()).isEqualTo("model 'anomaly' has no ready replica: deploy it first");
                    assertThat(e.code()).isEqualTo("models:not-ready");
                    assertThat(e.request()).isEqualTo("POST /api/v1/models/anomaly/predict");
                    assertThat(e.isRetriable()).isTrue();
                    assertThat(e.getMessage()).isEqualTo("POST /api/v1/models/anomaly/predict -> 503 Service Unavailable: "
                            + "model 'anomaly' has no ready replica: deploy it first [models:not-ready]");
                });
    }

    @Test
    void keepsTheStartOfAnErrorThatIsNoProblem() {
        stub.on("POST", "/api/v1/controller-instances/c-1/commands", (r, ex) -> StubGateway.send(ex, 502, "text/html", "<h1>bad gateway</h1>"));

        assertThatThrownBy(() -> lattice.command("c-1", "set", Map.of("on", true)))
                .isInstanceOfSatisfying(LatticeApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(502);
                    assertThat(e.title()).isEqualTo("Bad Gateway");
                    assertThat(e.detail()).isEqualTo("<h1>bad gateway</h1>");
                    assertThat(e.code()).isNull();
                });
    }

    @Test
    void refusedCallIsNotRetriable() {
        assertThatThrownBy(() -> lattice.readings("s-9", 1)).isInstanceOfSatisfying(LatticeApiException.class, e -> {
            assertThat(e.status()).isEqualTo(404);
            assertThat(e.detail()).isEqualTo("no route");
            assertThat(e.isRetriable()).isFalse();
        });
    }

    @Test
    void failsWithTheRequestWhenTheGatewayIsSlow() {
        stub.on("GET", "/api/v1/sensor-instances/s-1/readings", (r, ex) -> {
            stub.hold(Duration.ofSeconds(5));
            StubGateway.json(ex, 200, "[]");
        });
        try (Lattice impatient = Lattice.from(stub.env(), Duration.ofMillis(300))) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> impatient.readings("s-1", 1)).isInstanceOf(UncheckedIOException.class)
                    .hasMessageStartingWith("GET /api/v1/sensor-instances/s-1/readings?limit=1 failed: HttpTimeoutException")
                    .hasCauseInstanceOf(HttpTimeoutException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        }
    }

    @Test
    void failsWithTheRequestWhenTheGatewayIsDown() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Map<String, String> env = new LinkedHashMap<>(stub.env());
        env.put("LATTICE_URL", "http://127.0.0.1:" + port);
        try (Lattice unreachable = Lattice.from(env)) {
            assertThatThrownBy(() -> unreachable.emit(Map.of("x", 1))).isInstanceOf(UncheckedIOException.class)
                    .hasMessageStartingWith("POST /api/v1/app-instances/ai-7/outputs failed: ConnectException");
        }
    }

    @Test
    void rejectsAnAnswerThatIsNotWhatTheRoutePromises() {
        stub.on("POST", "/api/v1/controller-instances/c-1/commands", (r, ex) -> StubGateway.json(ex, 202, "{\"id\":\"x\"}"));
        assertThatThrownBy(() -> lattice.command("c-1", "set", Map.of())).isInstanceOf(UncheckedIOException.class)
                .hasMessage("POST /api/v1/controller-instances/c-1/commands: expected {\"commandId\"} in the answer, got {\"id\":\"x\"}");
    }

    @Test
    void checksArgumentsBeforeCalling() {
        assertThatThrownBy(() -> lattice.readings("s-1", -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> lattice.readings(" ", 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> lattice.command("c-1", "", Map.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> lattice.predict("anomaly", new Object() {
            public Object getSelf() {
                return this;
            }
        })).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("cannot write");
        assertThat(stub.requests).isEmpty();
    }
}
