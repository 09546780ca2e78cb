package dev.lattice.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lattice.core.Json;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A `lattice up` started for a benchmark from the built distribution, on free ports and a fresh data directory. */
final class Platform implements AutoCloseable {
    static final String ADMIN_PASSWORD = "bench-admin-password";
    final Path data;
    final int port;
    final int mqttPort;
    final String kafka;
    private final Process process;
    private final Path log;
    final HttpClient http = HttpClient.newHttpClient();

    private Platform(Path data, int port, int mqttPort, String kafka, Process process, Path log) {
        this.data = data;
        this.port = port;
        this.mqttPort = mqttPort;
        this.kafka = kafka;
        this.process = process;
        this.log = log;
    }

    static Platform start(Path root) throws Exception {
        return start(root, List.of());
    }

    /** Starts {@code lattice up} with {@code extra} arguments after the usual ones (e.g. {@code --nodes 3}). */
    static Platform start(Path root, List<String> extra) throws Exception {
        Path dist = root.resolve("cli/target/lattice");
        Path data = Files.createTempDirectory("lattice-bench");
        Path log = data.resolveSibling(data.getFileName() + ".log");
        int port = freePort();
        int mqtt = freePort();
        List<String> cmd = new java.util.ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow()));
        if (Runtime.version().feature() >= 23) cmd.add("--sun-misc-unsafe-memory-access=allow");
        cmd.addAll(List.of("-Xmx384m", "-XX:+UseSerialGC", "-Dlattice.lib=" + dist.resolve("lib"), "-cp", dist.resolve("lib") + "/*",
                "dev.lattice.cli.Lattice", "up", "--data", data.resolve("d").toString(), "--port", Integer.toString(port),
                "--mqtt-port", Integer.toString(mqtt)));
        cmd.addAll(extra);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("LATTICE_ADMIN_PASSWORD", ADMIN_PASSWORD);
        Process p = pb.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        Pattern kafkaAt = Pattern.compile("Kafka at (\\S+),");
        while (true) {
            String out = Files.readString(log);
            Matcher m = kafkaAt.matcher(out);
            if (out.contains("Lattice is UP") && m.find()) {
                awaitClassDataArchive(dist.resolve("cds"), p);
                return new Platform(data.resolve("d"), port, mqtt, m.group(1), p, log);
            }
            if (!p.isAlive() || System.nanoTime() > deadline) {
                p.destroy(); // no caller holds it yet to close it: it must not outlive this failure
                if (!p.waitFor(30, TimeUnit.SECONDS)) p.destroyForcibly();
                throw new IllegalStateException("lattice up did not come up:\n" + out);
            }
            Thread.sleep(200);
        }
    }

    /**
     * A first start of a build has no class-data archive: its processes write class lists (named after
     * up's pid), which up turns into the archive from 10 s after UP, in a JVM of its own. A benchmark
     * measured meanwhile would share two cores with that dump, so wait for it (the lists go when it ends).
     */
    private static void awaitClassDataArchive(Path cds, Process up) throws Exception {
        String suffix = "." + up.pid() + ".classlist";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        boolean told = false;
        while (System.nanoTime() < deadline && up.isAlive()) {
            boolean training;
            try (var files = Files.list(cds)) {
                training = files.anyMatch(f -> f.getFileName().toString().endsWith(suffix));
            } catch (java.nio.file.NoSuchFileException e) {
                return;
            }
            if (!training) return;
            if (!told) System.err.println("bench: a new build: waiting for the platform's class-data archive to be made");
            told = true;
            Thread.sleep(500);
        }
    }

    /** Client settings for the platform's embedded Kafka: SASL with the platform's own secret, if it has one. */
    Properties kafkaClient() throws IOException {
        Properties p = new Properties();
        p.put("bootstrap.servers", kafka);
        Path secret = data.resolve("kafka-secret");
        if (Files.exists(secret)) {
            p.put("security.protocol", "SASL_PLAINTEXT");
            p.put("sasl.mechanism", "PLAIN");
            p.put("sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"lattice\" password=\""
                    + Files.readString(secret).strip() + "\";");
        }
        return p;
    }

    /** Logs in as {@code admin}; the token lasts an hour, longer than any benchmark. */
    String adminToken() throws Exception {
        String login = send("POST", "/api/v1/auth/login", null,
                "{\"username\":\"admin\",\"password\":\"" + ADMIN_PASSWORD + "\"}").body();
        return Json.read(login.getBytes(StandardCharsets.UTF_8), JsonNode.class).get("token").asText();
    }

    /** Where {@code lattice up}'s own output goes (its services' logs are under {@code data/logs}). */
    Path log() {
        return log;
    }

    long pid() {
        return process.pid();
    }

    /** Every process {@code lattice up} started, and theirs (agents, services, process-runtime workloads). */
    java.util.stream.Stream<ProcessHandle> descendants() {
        return process.descendants();
    }

    HttpResponse<String> send(String method, String path, String token, String body) throws Exception {
        var b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) b.header("Authorization", "Bearer " + token);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) process.destroyForcibly();
    }
}
