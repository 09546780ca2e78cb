package dev.lattice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lattice.core.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code prometheus} (installed by {@code .ci/run}), started on a free port with one job
 * that discovers its targets through Lattice's HTTP-SD route, as an operator would configure it, and
 * {@code promtool check metrics} for one scrape.
 */
final class Prometheus implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Process process;
    private final int port;
    private final Path log;

    private Prometheus(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Scrapes every second what {@code targetsUrl} lists, asking it with {@code bearer} (an admin API key). */
    static Prometheus discovering(String targetsUrl, String bearer, Path dir) throws IOException {
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, """
                global: {scrape_interval: 1s, scrape_timeout: 1s, evaluation_interval: 1s}
                scrape_configs:
                  - job_name: lattice
                    http_sd_configs:
                      - url: %s
                        refresh_interval: 1s
                        authorization: {type: Bearer, credentials: %s}
                """.formatted(targetsUrl, bearer));
        int port = RunningPlatform.freePort();
        Path log = dir.resolve("prometheus.log");
        Process p = new ProcessBuilder(binary("prometheus"), "--config.file=" + config, "--storage.tsdb.path=" + dir.resolve("tsdb"),
                "--web.listen-address=127.0.0.1:" + port).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new Prometheus(p, port, log);
    }

    /** An instant query's result vector, or an empty array while Prometheus does not answer yet. */
    JsonNode query(String promql) {
        JsonNode answer = get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        return answer == null ? Json.MAPPER.createArrayNode() : answer.at("/data/result");
    }

    /** The scrape URLs of the targets it has discovered. */
    List<String> scrapeUrls() {
        List<String> urls = new ArrayList<>();
        JsonNode answer = get("/api/v1/targets?state=active");
        if (answer != null) answer.at("/data/activeTargets").forEach(t -> urls.add(t.get("scrapeUrl").asText()));
        return urls;
    }

    private JsonNode get(String path) {
        try {
            var r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            return r.statusCode() == 200 ? Json.read(r.body(), JsonNode.class) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code promtool check metrics} on what {@code url} serves: its exit status and what it said. */
    static String lint(String url) throws IOException, InterruptedException {
        var scrape = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofByteArray());
        if (scrape.statusCode() != 200) return url + ": HTTP " + scrape.statusCode();
        Process p = new ProcessBuilder(binary("promtool"), "check", "metrics").redirectErrorStream(true).start();
        try (var in = p.getOutputStream()) {
            in.write(scrape.body());
        }
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) throw new AssertionError("promtool did not end");
        return p.exitValue() == 0 ? "" : url + ": exit " + p.exitValue() + "\n" + said;
    }

    String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String binary(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, name))) return Path.of(dir, name).toString();
        }
        throw new AssertionError(name + " is not installed: .ci/run installs Debian's prometheus (apt-get install prometheus)");
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
    }
}
