package dev.lattice.gateway.sensors;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lattice.gateway.TestHttp;
import dev.lattice.gateway.TestHttp.Response;
import dev.lattice.gateway.TestPlatform;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The "Sensors and controllers" routes of API.md against the in-process platform (real Kafka). */
class SensorsIT {
    private static TestHttp http;
    private static String admin;
    private static String configurer;
    private static String endUser;

    @BeforeAll
    static void users() {
        http = TestPlatform.http();
        admin = http.login("admin", TestPlatform.ADMIN_PASSWORD);
        http.ensureUser(admin, "sensors-configurer", "configurer-pw", "platform-configurer");
        http.ensureUser(admin, "sensors-user", "end-user-pw", "end-user");
        configurer = http.login("sensors-configurer", "configurer-pw");
        endUser = http.login("sensors-user", "end-user-pw");
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 6);
    }

    private static String thermoType() {
        String name = unique("thermo");
        Response r = http.post("/api/v1/sensor-types", configurer, "{\"name\":\"" + name + "\",\"description\":\"t\","
                + "\"fields\":[{\"name\":\"celsius\",\"type\":\"number\"},{\"name\":\"count\",\"type\":\"integer\"}]}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return name;
    }

    private static JsonNode sensor(String type, String extra) {
        Response r = http.post("/api/v1/sensor-instances", configurer, "{\"type\":\"" + type + "\"" + extra + "}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json();
    }

    private static void assertProblem(Response r, int status, String detail) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json().get("detail").asText()).contains(detail);
    }

    @Test
    void typesAreWrittenByConfigurersAndReadByEveryone() {
        String name = thermoType();
        assertThat(http.get("/api/v1/sensor-types/" + name, endUser).json().get("fields")).hasSize(2);
        assertThat(http.get("/api/v1/sensor-types", endUser).body()).contains("\"" + name + "\"");
        assertProblem(http.post("/api/v1/sensor-types", endUser, "{\"name\":\"x\",\"fields\":[{\"name\":\"a\",\"type\":\"number\"}]}"), 403, "end-user");
        assertProblem(http.post("/api/v1/sensor-types", configurer, "{\"name\":\"" + name + "\",\"fields\":[{\"name\":\"a\",\"type\":\"number\"}]}"), 409, name);
        assertProblem(http.post("/api/v1/sensor-types", configurer, "{\"name\":\"y\",\"fields\":[{\"name\":\"a\",\"type\":\"float\"}]}"), 400, "type");
        assertProblem(http.post("/api/v1/sensor-types", configurer, "{\"name\":\"y\",\"fields\":[]}"), 400, "fields");
        assertProblem(http.post("/api/v1/sensor-types", configurer, "{\"name\":\"Bad Name\",\"fields\":[{\"name\":\"a\",\"type\":\"number\"}]}"), 400, "name");
        assertProblem(http.get("/api/v1/sensor-types/none-such", endUser), 404, "none-such");

        String controller = unique("valve");
        assertThat(http.post("/api/v1/controller-types", configurer, "{\"name\":\"" + controller + "\",\"commands\":"
                + "[{\"name\":\"open\",\"params\":[{\"name\":\"percent\",\"type\":\"integer\"}]},{\"name\":\"close\"}]}").status()).isEqualTo(201);
        assertThat(http.get("/api/v1/controller-types/" + controller, endUser).json().get("commands")).hasSize(2);
    }

    @Test
    void aTypeWithInstancesCannotBeDeleted() {
        String type = thermoType();
        String id = sensor(type, ",\"location\":{\"label\":\"lab\"}").get("id").asText();
        assertProblem(http.send("DELETE", "/api/v1/sensor-types/" + type, configurer, null), 409, "instance");
        assertThat(http.send("DELETE", "/api/v1/sensor-instances/" + id, configurer, null).status()).isEqualTo(204);
        assertThat(http.send("DELETE", "/api/v1/sensor-types/" + type, configurer, null).status()).isEqualTo(204);
        assertThat(http.get("/api/v1/sensor-types/" + type, endUser).status()).isEqualTo(404);
    }

    @Test
    void instancesAreFoundByTypeLocationDistanceAndAttributes() {
        String type = thermoType();
        String berlin = sensor(type, ",\"location\":{\"label\":\"Berlin\",\"lat\":52.52,\"lon\":13.405},\"attributes\":{\"floor\":2,\"room\":\"lab\"}").get("id").asText();
        String potsdam = sensor(type, ",\"location\":{\"label\":\"Potsdam\",\"lat\":52.39,\"lon\":13.06},\"attributes\":{\"floor\":1}").get("id").asText();
        String munich = sensor(type, ",\"location\":{\"label\":\"Munich\",\"lat\":48.137,\"lon\":11.575}").get("id").asText();
        String base = "/api/v1/sensor-instances?type=" + type;

        assertThat(ids(http.get(base, endUser))).containsExactlyInAnyOrder(berlin, potsdam, munich);
        assertThat(ids(http.get(base + "&location=berlin", endUser))).containsExactly(berlin);
        assertThat(ids(http.get(base + "&near=52.40,13.07&withinKm=50", endUser))).containsExactly(potsdam, berlin);
        assertThat(ids(http.get(base + "&near=52.40,13.07", endUser))).containsExactly(potsdam, berlin, munich);
        assertThat(ids(http.get(base + "&attr.floor=2&attr.room=lab", endUser))).containsExactly(berlin);
        assertProblem(http.get(base + "&near=somewhere", endUser), 400, "near");
        assertProblem(http.post("/api/v1/sensor-instances", configurer, "{\"type\":\"no-such-type\",\"location\":{\"label\":\"x\"}}"), 400, "type");
        assertProblem(http.post("/api/v1/sensor-instances", configurer, "{\"type\":\"" + type + "\",\"location\":{\"label\":\"x\",\"lat\":91,\"lon\":0}}"), 400, "lat");
        assertProblem(http.post("/api/v1/sensor-instances", configurer, "{\"type\":\"" + type + "\"}"), 400, "location");
    }

    private static List<String> ids(Response r) {
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        r.json().forEach(n -> ids.add(n.get("id").asText()));
        return ids;
    }

    @Test
    void aDeviceTokenWritesOnlyItsOwnReadingsAndBadReadingsStoreNothing() {
        String type = thermoType();
        JsonNode a = sensor(type, ",\"location\":{\"label\":\"a\"}");
        JsonNode b = sensor(type, ",\"location\":{\"label\":\"b\"}");
        String aId = a.get("id").asText();
        String aToken = a.get("token").asText();
        assertThat(http.get("/api/v1/sensor-instances/" + aId, endUser).body()).doesNotContain("token");

        String path = "/api/v1/sensor-instances/" + aId + "/readings";
        assertThat(http.post(path, aToken, "{\"celsius\":21.5,\"count\":3}").status()).isEqualTo(202);
        assertThat(http.post(path, configurer, "[{\"celsius\":1,\"count\":1,\"ts\":\"2020-01-01T00:00:00Z\"},{\"celsius\":22.5,\"count\":4}]").status()).isEqualTo(202);
        assertProblem(http.post("/api/v1/sensor-instances/" + b.get("id").asText() + "/readings", aToken, "{\"celsius\":1,\"count\":1}"), 403, "device");
        assertProblem(http.post(path, "ltd_" + aId + "_forged", "{\"celsius\":1,\"count\":1}"), 401, "device token");
        assertProblem(http.post(path, endUser, "{\"celsius\":1,\"count\":1}"), 403, "end-user");
        assertProblem(http.get("/api/v1/me", aToken), 403, "device");

        assertProblem(http.post(path, aToken, "{\"celsius\":\"hot\",\"count\":1}"), 400, "celsius");
        assertProblem(http.post(path, aToken, "{\"celsius\":1,\"count\":1.5}"), 400, "count");
        assertProblem(http.post(path, aToken, "{\"celsius\":1}"), 400, "count");
        assertProblem(http.post(path, aToken, "{\"celsius\":1,\"count\":1,\"humidity\":3}"), 400, "humidity");
        assertProblem(http.post(path, aToken, "[{\"celsius\":5,\"count\":5},{\"celsius\":\"x\",\"count\":1}]"), 400, "[1].celsius");

        JsonNode readings = http.get(path + "?limit=10", endUser).json();
        assertThat(readings).hasSize(3);
        assertThat(readings.get(0).get("values").get("celsius").asDouble()).isEqualTo(22.5);
        assertThat(readings.get(2).get("ts").asText()).isEqualTo("2020-01-01T00:00:00Z");
        assertThat(http.get(path + "?limit=1", endUser).json()).hasSize(1);
    }

    @Test
    void sensorsAndControllersShareOneIdSpace() {
        String type = thermoType();
        String valve = unique("valve");
        assertThat(http.post("/api/v1/controller-types", configurer, "{\"name\":\"" + valve + "\",\"commands\":[{\"name\":\"close\"}]}").status()).isEqualTo(201);
        String id = unique("shared");
        sensor(type, ",\"name\":\"" + id + "\",\"location\":{\"label\":\"x\"}");
        assertProblem(http.post("/api/v1/controller-instances", configurer, "{\"type\":\"" + valve + "\",\"name\":\"" + id + "\",\"location\":{\"label\":\"x\"}}"), 409, id);
    }

    @Test
    void newestFirstMeansByTimeAndAnInstanceMadeAgainStartsAfresh() {
        String type = thermoType();
        JsonNode s = sensor(type, ",\"name\":\"" + unique("backfill") + "\",\"location\":{\"label\":\"b\"}");
        String id = s.get("id").asText();
        String path = "/api/v1/sensor-instances/" + id + "/readings";
        assertThat(http.post(path, configurer, "{\"celsius\":99,\"count\":0}").status()).isEqualTo(202);
        StringBuilder old = new StringBuilder("[");
        for (int i = 0; i < 1000; i++) old.append(i == 0 ? "" : ",").append("{\"celsius\":1,\"count\":").append(i).append(",\"ts\":\"2020-01-01T00:00:00Z\"}");
        assertThat(http.post(path, configurer, old.append("]").toString()).status()).isEqualTo(202);
        assertThat(http.post(path, configurer, old.toString()).status()).isEqualTo(202);
        assertThat(http.get(path + "?limit=1", configurer).json().get(0).get("values").get("celsius").asInt()).isEqualTo(99);
        assertThat(http.get(path + "?limit=2&offset=1", configurer).json().get(0).get("ts").asText()).startsWith("2020-01-01");

        assertThat(http.send("DELETE", "/api/v1/sensor-instances/" + id, configurer, null).status()).isEqualTo(204);
        sensor(type, ",\"name\":\"" + id + "\",\"location\":{\"label\":\"again\"}");
        assertThat(http.get(path, configurer).json()).isEmpty();
    }

    @Test
    void aTimeOutsideWhatKafkaKeepsIsABadRequest() {
        String type = thermoType();
        JsonNode s = sensor(type, ",\"location\":{\"label\":\"t\"}");
        String path = "/api/v1/sensor-instances/" + s.get("id").asText() + "/readings";
        assertProblem(http.post(path, configurer, "{\"celsius\":1,\"count\":1,\"ts\":\"2099-01-01T00:00:00Z\"}"), 400, "ts");
        assertProblem(http.post(path, configurer, "{\"celsius\":1,\"count\":1,\"ts\":\"1960-06-01T00:00:00Z\"}"), 400, "ts");
        assertThat(http.get(path, configurer).json()).isEmpty();
    }

    @Test
    void theStreamCarriesNewReadings() throws Exception {
        String type = thermoType();
        JsonNode s = sensor(type, ",\"location\":{\"label\":\"s\"}");
        String id = s.get("id").asText();
        HttpRequest req = HttpRequest.newBuilder(URI.create(http.base() + "/api/v1/sensor-instances/" + id + "/stream?access_token=" + endUser)).build();
        HttpResponse<java.io.InputStream> resp = HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(resp.statusCode()).isEqualTo(200);
        assertThat(resp.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        CompletableFuture<String> data = CompletableFuture.supplyAsync(() -> {
            try (var in = new BufferedReader(new InputStreamReader(resp.body()))) {
                for (String line; (line = in.readLine()) != null; ) if (line.startsWith("data:")) return line;
                return null;
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        Thread.sleep(300);
        assertThat(http.post("/api/v1/sensor-instances/" + id + "/readings", s.get("token").asText(), "{\"celsius\":30.25,\"count\":7}").status()).isEqualTo(202);
        assertThat(data.get(10, TimeUnit.SECONDS)).contains("30.25");
    }

    @Test
    void aSimulatorProducesAtItsInterval() throws Exception {
        String type = thermoType();
        String id = sensor(type, ",\"location\":{\"label\":\"sim\"},\"simulator\":{\"kind\":\"random\",\"intervalMs\":200,"
                + "\"fields\":{\"celsius\":{\"min\":20,\"max\":21}}}").get("id").asText();
        Thread.sleep(3500);
        Instant to = Instant.now().minusMillis(300);
        Instant from = to.minusSeconds(2);
        JsonNode readings = http.get("/api/v1/sensor-instances/" + id + "/readings?limit=1000", endUser).json();
        long inWindow = 0;
        for (JsonNode r : readings) {
            Instant ts = Instant.parse(r.get("ts").asText());
            if (!ts.isBefore(from) && ts.isBefore(to)) inWindow++;
            assertThat(r.get("values").get("celsius").asDouble()).isBetween(20.0, 21.0);
        }
        assertThat(inWindow).as("readings in 2 s at 200 ms").isBetween(8L, 12L);
    }

    @Test
    void commandsAreCheckedRecordedAndFailWhenNoDeviceTakesThem() throws Exception {
        String type = unique("valve");
        assertThat(http.post("/api/v1/controller-types", configurer, "{\"name\":\"" + type + "\",\"commands\":"
                + "[{\"name\":\"open\",\"params\":[{\"name\":\"percent\",\"type\":\"integer\"}]}]}").status()).isEqualTo(201);
        Response created = http.post("/api/v1/controller-instances", configurer, "{\"type\":\"" + type + "\",\"location\":{\"label\":\"yard\"}}");
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("token").asText()).startsWith("ltd_");
        String path = "/api/v1/controller-instances/" + created.json().get("id").asText() + "/commands";

        assertProblem(http.post(path, endUser, "{\"command\":\"explode\",\"params\":{}}"), 400, "explode");
        assertProblem(http.post(path, endUser, "{\"command\":\"open\",\"params\":{\"percent\":\"wide\"}}"), 400, "percent");
        assertProblem(http.post(path, endUser, "{\"command\":\"open\",\"params\":{}}"), 400, "percent");
        Response sent = http.post(path, endUser, "{\"command\":\"open\",\"params\":{\"percent\":40}}");
        assertThat(sent.status()).as(sent.body()).isEqualTo(202);
        String commandId = sent.json().get("commandId").asText();

        JsonNode listed = http.get(path, endUser).json();
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).get("commandId").asText()).isEqualTo(commandId);
        assertThat(listed.get(0).get("params").get("percent").asInt()).isEqualTo(40);
        assertThat(listed.get(0).get("status").asText()).isEqualTo("sent");

        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        String status = "sent";
        while (!status.equals("failed") && System.nanoTime() < deadline) {
            Thread.sleep(200);
            status = http.get(path, endUser).json().get(0).get("status").asText();
        }
        assertThat(status).isEqualTo("failed");
        // ... and the platform's events say so (a webhook can tell someone).
        String controllerId = created.json().get("id").asText();
        long eventDeadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        String events = "";
        while (!events.contains(commandId) && System.nanoTime() < eventDeadline) {
            Thread.sleep(200);
            events = http.get("/api/v1/events?limit=200", admin).body();
        }
        assertThat(events).contains("\"kind\":\"command-failed\",\"subject\":\"controller/" + controllerId + "\"", commandId);
    }
}
