package dev.lattice.modelserver;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lattice.core.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** A test's HTTP client for one server: JSON in, the status, content type and body out; the key as a bearer credential. */
record Http(HttpClient client, String base, String key) {
    /** The key the tests' servers are started with. */
    static final String KEY = "test-serve-key-0123456789abcdef0123456789";

    record Answer(int status, String contentType, String text) {
        JsonNode json() {
            try {
                return Json.MAPPER.readTree(text);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + text, e);
            }
        }
    }

    static Http on(int port) {
        return new Http(HttpClient.newHttpClient(), "http://127.0.0.1:" + port, KEY);
    }

    /** The same server, presenting {@code other} (null: no Authorization header at all). */
    Http withKey(String other) {
        return new Http(client, base, other);
    }

    Answer get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    Answer post(String path, String body) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private Answer send(HttpRequest.Builder request) {
        if (key != null) request.header("Authorization", "Bearer " + key);
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), response.body());
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
