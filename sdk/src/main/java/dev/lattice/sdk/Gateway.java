package dev.lattice.sdk;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The SDK's one seam to the gateway: JSON calls and event streams over the JDK's
 * {@link HttpClient}, each with the instance's token and a timeout; answers outside 2xx become
 * {@link LatticeApiException}s, and a gateway that cannot be reached (or does not answer in time)
 * an {@link UncheckedIOException} naming the request. Thread-safe.
 */
final class Gateway {
    private static final int MAX_DETAIL = 500;

    private final HttpClient http;
    private final URI base;
    private final String authorization;
    private final Duration timeout;

    Gateway(HttpClient http, URI base, String token, Duration timeout) {
        this.http = http;
        this.base = base;
        this.authorization = "Bearer " + token;
        this.timeout = timeout;
    }

    /** One path segment, percent-encoded: ids are the server's, but a stray character must not change the route. */
    static String segment(String value) {
        if (value == null || value.isBlank()) throw new IllegalArgumentException("an id or name is required, not '" + value + "'");
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    JsonNode get(String path) {
        return call("GET", path, null);
    }

    JsonNode post(String path, Object body) {
        return call("POST", path, Wire.bytes(body));
    }

    /**
     * Opens {@code GET path} as a {@code text/event-stream} and returns its body once the answer's
     * headers are in; the timeout covers only that wait. Cancelling {@code pending} (from another
     * thread) aborts a connection still being made.
     */
    InputStream openStream(String path, PendingCall pending) {
        String request = "GET " + path;
        HttpRequest httpRequest = request(path).header("Accept", "text/event-stream").GET().build();
        CompletableFuture<HttpResponse<InputStream>> future = http.sendAsync(httpRequest, BodyHandlers.ofInputStream());
        pending.set(future);
        HttpResponse<InputStream> response;
        try {
            response = future.get();
        } catch (CancellationException e) {
            throw new UncheckedIOException(request + ": cancelled", new InterruptedIOException("cancelled"));
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(request + ": interrupted", new InterruptedIOException("interrupted"));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            IOException io = cause instanceof IOException i ? i : new IOException(cause);
            throw new UncheckedIOException(request + " failed: " + describe(io), io);
        } finally {
            pending.set(null);
        }
        if (response.statusCode() / 100 != 2) {
            byte[] body;
            try (InputStream in = response.body()) {
                body = in.readNBytes(64 * 1024);
            } catch (IOException e) {
                body = new byte[0];
            }
            throw problem(request, response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), body);
        }
        return response.body();
    }

    private JsonNode call(String method, String path, byte[] body) {
        String request = method + " " + path;
        HttpRequest.Builder builder = request(path).header("Accept", "application/json");
        if (body == null) builder.GET();
        else builder.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body));
        HttpResponse<byte[]> response;
        try {
            response = http.send(builder.build(), BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(request + " failed: " + describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(request + ": interrupted", new InterruptedIOException("interrupted"));
        }
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        if (response.statusCode() / 100 != 2) throw problem(request, response.statusCode(), contentType, response.body());
        if (response.body().length == 0) return null;
        try {
            return Wire.MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(request + ": the answer (" + response.statusCode() + ", " + contentType
                    + ") is not JSON: " + e.getMessage(), e);
        }
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout).header("Authorization", authorization);
    }

    /** An error answer as an exception: the problem's fields when the body is one, else the start of the body. */
    static LatticeApiException problem(String request, int status, String contentType, byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        if (contentType.contains("json")) {
            try {
                JsonNode problem = Wire.tree(text);
                if (problem.isObject()) {
                    return new LatticeApiException(request, status, textOr(problem.get("title"), reason(status)),
                            textOr(problem.get("detail"), ""), textOr(problem.get("code"), null));
                }
            } catch (JsonProcessingException e) {
                // not a problem after all: fall through to the raw body
            }
        }
        String detail = text.strip();
        if (detail.length() > MAX_DETAIL) detail = detail.substring(0, MAX_DETAIL) + "…";
        return new LatticeApiException(request, status, reason(status), detail, null);
    }

    private static String textOr(JsonNode node, String fallback) {
        return node != null && node.isValueNode() && !node.isNull() ? node.asText() : fallback;
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        String kind = e.getClass().getSimpleName();
        return message == null || message.isBlank() ? kind : kind + " (" + message + ")";
    }

    static String reason(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 408 -> "Request Timeout";
            case 409 -> "Conflict";
            case 413 -> "Content Too Large";
            case 415 -> "Unsupported Media Type";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> "HTTP " + status;
        };
    }

    /** Where a connection being made is kept, so another thread can cancel it. Thread-safe. */
    static final class PendingCall {
        private volatile CompletableFuture<?> future;
        private volatile boolean cancelled;

        void set(CompletableFuture<?> future) {
            this.future = future;
            // Checked after publishing, so a cancel() racing with set() is never lost.
            if (future != null && cancelled) future.cancel(true);
        }

        void cancel() {
            cancelled = true;
            CompletableFuture<?> f = future;
            if (f != null) f.cancel(true);
        }
    }
}
