package dev.lattice.cli;

import dev.lattice.workloads.JvmCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@code lattice up} as a user runs it: a separate JVM from the built distribution, with its
 * own data directory and port, observed only through its HTTP API and its processes.
 */
final class RunningPlatform implements AutoCloseable {
    final Path data;
    final String host;
    final int port;
    final Process process;
    final Path output;
    private final HttpClient http = HttpClient.newHttpClient();

    private RunningPlatform(Path data, String host, int port, Process process, Path output) {
        this.data = data;
        this.host = host;
        this.port = port;
        this.process = process;
        this.output = output;
    }

    static RunningPlatform start(Path data, int port, String... extraArgs) {
        return start(List.of(), "127.0.0.1", java.util.Map.of(), data, port, extraArgs);
    }

    /**
     * {@code lattice up} started through {@code prefix} (e.g. {@code nsenter --net=...}: another
     * host) with {@code env} added to its environment, reached at {@code host}.
     */
    static RunningPlatform start(List<String> prefix, String host, java.util.Map<String, String> env, Path data, int port, String... extraArgs) {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(lattice());
        cmd.addAll(List.of("up", "--data", data.toString(), "--port", Integer.toString(port)));
        cmd.addAll(List.of(extraArgs));
        try {
            Files.createDirectories(data);
            Path output = Files.createTempFile(data.getParent(), data.getFileName() + "-up-", ".log");
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()));
            pb.environment().remove("LATTICE_ADMIN_PASSWORD");
            pb.environment().putAll(env);
            return new RunningPlatform(data, host, port, pb.start(), output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The built distribution's {@code lattice} command with the JVM options the {@code ./lattice}
     * script gives it (the arguments follow): a user's CLI call is a C1-only, serial-collector JVM,
     * and so is each of the tests' (OperationsIT makes 48; with the JDK's defaults each cost ~0.5
     * CPU-s more). The script's class-data archive for {@code up} is left out: it is made when the
     * first {@code up} stops, which the tests' platforms do in parallel.
     */
    static List<String> lattice() {
        String dist = System.getProperty("lattice.dist");
        if (dist == null) throw new IllegalStateException("run through Maven: the lattice.dist property names the built distribution");
        return JvmCommand.ofThisJvm().heapMb(384).quickStart().unsafeMemoryAccess().property("lattice.lib", dist + "/lib")
                .main(dist + "/lib/*", Lattice.class.getName(), List.of());
    }

    /**
     * A port free now and handed out once per test JVM, below Linux's ephemeral range (32768-60999):
     * a port the kernel picked for {@code new ServerSocket(0)} can be picked again, before the
     * platform binds it, as the source port of one of the many connections the test classes running
     * beside this one open ("Address already in use" for a gateway, seen in CI).
     */
    static int freePort() {
        for (int tries = 0; tries < 1000; tries++) {
            int port = NEXT_PORT.getAndIncrement();
            if (port >= 32_000) NEXT_PORT.set(port = 20_000);
            try (ServerSocket s = new ServerSocket(port)) {
                return s.getLocalPort();
            } catch (IOException taken) {
                // in use by something else on this machine: the next one
            }
        }
        throw new IllegalStateException("no free port in 20000-32000");
    }

    // Where a test JVM starts is random, so that two of them (a second build on the machine) rarely meet.
    private static final java.util.concurrent.atomic.AtomicInteger NEXT_PORT =
            new java.util.concurrent.atomic.AtomicInteger(20_000 + new java.util.Random().nextInt(10_000));

    record Response(int status, String body, java.net.http.HttpHeaders headers) {
        Response(int status, String body) {
            this(status, body, java.net.http.HttpHeaders.of(java.util.Map.of(), (a, b) -> true));
        }

        /** The first value of header {@code name}, or null. */
        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    Response send(String method, String path, String token, String body) {
        return send(method, path, token, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body), null);
    }

    /** Raw bytes as {@code application/octet-stream} (artefact uploads). */
    Response sendBytes(String method, String path, String token, byte[] body) {
        return send(method, path, token, HttpRequest.BodyPublishers.ofByteArray(body), "application/octet-stream");
    }

    /** A multipart/form-data POST, each part sent as a file named after the part, as a browser or {@code curl -F} does. */
    Response sendParts(String path, String token, java.util.Map<String, byte[]> parts) {
        return sendParts(path, token, parts, java.util.Map.of());
    }

    /** With the file names of some parts ({@code contract} → {@code contract.py}); the others are sent under their own name. */
    Response sendParts(String path, String token, java.util.Map<String, byte[]> parts, java.util.Map<String, String> fileNames) {
        String boundary = "lattice" + System.nanoTime();
        var body = new java.io.ByteArrayOutputStream();
        for (var e : parts.entrySet()) {
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + e.getKey() + "\"; filename=\""
                    + fileNames.getOrDefault(e.getKey(), e.getKey()) + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes());
            body.writeBytes(e.getValue());
            body.writeBytes("\r\n".getBytes());
        }
        body.writeBytes(("--" + boundary + "--\r\n").getBytes());
        return send("POST", path, token, HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()),
                "multipart/form-data; boundary=" + boundary);
    }

    private Response send(String method, String path, String token, HttpRequest.BodyPublisher body, String contentType) {
        var b = HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + path)).timeout(Duration.ofSeconds(15)).method(method, body);
        if (contentType != null) b.header("Content-Type", contentType);
        if (token != null) b.header("Authorization", "Bearer " + token);
        try {
            var r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.body(), r.headers());
        } catch (IOException e) {
            return new Response(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The health answer, or empty while the gateway does not answer. */
    Optional<String> health() {
        Response r = send("GET", "/api/v1/health", null, null);
        return r.status() == 200 ? Optional.of(r.body()) : Optional.empty();
    }

    boolean isUp() {
        return health().map(h -> h.startsWith("{\"status\":\"UP\"")).orElse(false);
    }

    String log() {
        try {
            return Files.readString(output);
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    /**
     * Polls {@code done} every 100 ms until it holds and returns how long that took (ms); after
     * {@code timeout}, fails with what the platform's logs say ({@link #diagnosis()}). The one wait
     * of the whole-platform tests.
     */
    static long waitFor(String what, java.time.Duration timeout, java.util.function.BooleanSupplier done, RunningPlatform p)
            throws InterruptedException {
        long start = System.nanoTime();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() - start > timeout.toNanos()) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what
                        + (p.process.isAlive() ? "" : " (lattice up has ended)") + "\n" + p.diagnosis());
            }
            Thread.sleep(100);
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    /**
     * What a failed wait shows: {@code lattice up}'s output, the health answer, and the end of every
     * process's log under the data directory (a service that never came UP says why there).
     */
    String diagnosis() {
        StringBuilder out = new StringBuilder(log());
        out.append("\n--- health: ").append(health().orElse("(no answer)"));
        try (var logs = Files.list(data.resolve("logs"))) {
            for (Path f : logs.sorted().toList()) {
                List<String> lines = Files.readAllLines(f, java.nio.charset.StandardCharsets.ISO_8859_1);
                out.append("\n--- ").append(f.getFileName()).append(" (last 12 of ").append(lines.size()).append(" lines):\n");
                lines.subList(Math.max(0, lines.size() - 12), lines.size()).forEach(l -> out.append(l, 0, Math.min(l.length(), 400)).append('\n'));
            }
        } catch (IOException e) {
            out.append("\n(no logs: ").append(e).append(')');
        }
        return out.toString();
    }

    /** The platform's service processes, found by the service name on their command lines. */
    List<ProcessHandle> services() {
        return process.descendants().filter(p -> p.info().commandLine().map(c -> c.contains(" service ")).orElse(false)).toList();
    }

    Optional<ProcessHandle> service(String name) {
        return services().stream().filter(p -> p.info().commandLine().orElse("").endsWith(" service " + name)).findFirst();
    }

    /** The agent process of {@code node}. */
    Optional<ProcessHandle> agent(String node) {
        return process.descendants().filter(p -> p.info().commandLine().orElse("").contains(" agent --node " + node + " ")).findFirst();
    }

    /** SIGTERM, as Ctrl-C or a service manager would send. */
    void terminate(Duration grace) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("lattice up did not stop within " + grace + "\n" + log());
        }
    }

    @Override
    public void close() {
        List<ProcessHandle> all = process.descendants().toList();
        process.destroyForcibly();
        all.forEach(ProcessHandle::destroyForcibly);
    }
}
