package dev.lattice.sdk;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A small stand-in for the gateway: the JDK's HTTP server on a free port, routes registered by
 * method and path, every request recorded. Routes not registered answer a 404 problem.
 */
final class StubGateway implements AutoCloseable {
    static final String TOKEN = "instance-token-1";
    static final String INSTANCE = "ai-7";

    /** One request as the stub saw it; {@code path} includes the query. */
    record Request(String method, String path, String authorization, String contentType, String accept, String body) {}

    @FunctionalInterface
    interface Handler {
        void handle(Request request, HttpExchange exchange) throws Exception;
    }

    final BlockingQueue<Request> requests = new LinkedBlockingQueue<>();
    /** Released at close, so handlers holding a stream open end with the test. */
    final CountDownLatch closing = new CountDownLatch(1);
    private final Map<String, Handler> routes = new ConcurrentHashMap<>();
    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    StubGateway() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::dispatch);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The env contract of an instance bound to sensor {@code s-1} (machine) and controller {@code c-1} (alarm). */
    Map<String, String> env() {
        return Map.of("LATTICE_URL", url() + "/", "LATTICE_TOKEN", TOKEN, "LATTICE_INSTANCE", INSTANCE,
                "LATTICE_BINDINGS", "{\"machine\":[\"s-1\"],\"alarm\":[\"c-1\"]}", "LATTICE_PARAMS", "{\"quiet\":false}");
    }

    StubGateway on(String method, String path, Handler handler) {
        routes.put(method + " " + path, handler);
        return this;
    }

    Request take() throws InterruptedException {
        Request r = requests.poll(5, TimeUnit.SECONDS);
        if (r == null) throw new AssertionError("no request reached the stub gateway");
        return r;
    }

    private void dispatch(HttpExchange exchange) throws IOException {
        try (exchange) {
            var h = exchange.getRequestHeaders();
            Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
                    h.getFirst("Authorization"), h.getFirst("Content-Type"), h.getFirst("Accept"),
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            requests.add(request);
            Handler handler = routes.get(request.method() + " " + exchange.getRequestURI().getRawPath());
            if (handler == null) {
                send(exchange, 404, "application/problem+json",
                        "{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":404,\"detail\":\"no route\",\"code\":\"http:404\"}");
                return;
            }
            handler.handle(request, exchange);
        } catch (IOException e) {
            // the client went away
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) exchange.getResponseBody().write(bytes);
    }

    static void json(HttpExchange exchange, int status, String body) throws IOException {
        send(exchange, status, "application/json", body);
    }

    static void problem(HttpExchange exchange, int status, String title, String detail, String code) throws IOException {
        send(exchange, status, "application/problem+json", "{\"type\":\"about:blank\",\"title\":\"" + title + "\",\"status\":" + status
                + ",\"detail\":\"" + detail + "\",\"code\":\"" + code + "\"}");
    }

    /** Starts an event stream as the gateway does: headers, then a comment right away. */
    static OutputStream startStream(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        write(out, ": stream of reading events\n\n");
        return out;
    }

    static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    static String reading(String ts, String values) {
        return "event: reading\ndata: {\"ts\":\"" + ts + "\",\"values\":" + values + "}\n\n";
    }

    /** Holds a handler until the test ends (or {@code max} passes). */
    void hold(Duration max) throws InterruptedException {
        closing.await(max.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
