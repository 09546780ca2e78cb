package dev.lattice.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lattice.core.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

/** A tiny HTTP client for tests against a gateway: raw bodies in, status/body/content type out. */
public final class TestHttp {
    public record Response(int status, String body, String contentType) {
        public JsonNode json() {
            return Json.read(body.getBytes(), JsonNode.class);
        }
    }

    private final HttpClient client = HttpClient.newHttpClient();
    private final String base;

    public TestHttp(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    public String base() {
        return base;
    }

    public Response get(String path, String token) {
        return send("GET", path, token, null);
    }

    public Response post(String path, String token, String body) {
        return send("POST", path, token, body);
    }

    public Response send(String method, String path, String token, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) b.header("Content-Type", "application/json");
        if (token != null) b.header("Authorization", "Bearer " + token);
        try {
            // An event stream never ends: answer with its status and headers, and hang up.
            HttpResponse<java.io.InputStream> r = client.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
            String type = r.headers().firstValue("Content-Type").orElse("");
            try (var in = r.body()) {
                String text = type.startsWith("text/event-stream") ? "" : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                return new Response(r.statusCode(), text, type);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Logs in and returns the token; fails the test if login fails. */
    public String login(String username, String password) {
        Response r = post("/api/v1/auth/login", null, Json.string(Map.of("username", username, "password", password)));
        if (r.status() != 200) throw new AssertionError("login of " + username + " failed: " + r.status() + " " + r.body());
        return r.json().get("token").asText();
    }

    /** Creates a user as admin if it is not there yet. */
    public void ensureUser(String adminToken, String username, String password, String role) {
        Response r = post("/api/v1/users", adminToken, Json.string(Map.of("username", username, "password", password, "role", role)));
        if (r.status() != 201 && r.status() != 409) throw new AssertionError("cannot create " + username + ": " + r.body());
    }
}
