package dev.lattice.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lattice.core.Json;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A model uploaded and deployed on a benchmark's platform through the public API, as a data
 * scientist would do it, and its replica found in the process table, as an operator would find it.
 */
final class ModelDeployment {
    static final Duration WAIT = Duration.ofSeconds(120);

    /**
     * The replica's model server: its process and the port it serves on.
     *
     * @param how how it was found, for the report
     */
    /** @param key the serve key the server wants from every caller (its {@code LATTICE_SERVE_KEY}) */
    record Server(long pid, int port, String key, String how) {}

    private ModelDeployment() {}

    /**
     * {@code POST /api/v1/models} with the folder's {@code model.onnx}, {@code contract.yaml} and
     * {@code config.yaml}, the config's {@code resources.cpu} set to {@code cpu} (the example asks
     * for a quarter of a core, and the sandbox caps a replica at what it asked for: a benchmark of
     * the serving path must not measure the cap); returns the status line.
     */
    static String upload(Platform platform, String token, Path folder, String cpu) throws Exception {
        return upload(platform, token, folder, cpu, "contract.yaml", null);
    }

    /** The same with the folder's {@code contract} file instead, under the name {@code name} (null: the config's). */
    static String upload(Platform platform, String token, Path folder, String cpu, String contract, String name) throws Exception {
        String boundary = "lattice-bench-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        part(body, boundary, "model", folder.resolve("model.onnx"), "application/octet-stream");
        part(body, boundary, "contract", folder.resolve(contract), "application/octet-stream");
        String config = Files.readString(folder.resolve("config.yaml"));
        if (name != null) config = config.replaceFirst("(?m)^name:.*$", "name: " + name);
        String withCpu = config.replaceFirst("(?m)^(\\s+cpu:\\s*)\\S+$", "$1" + cpu);
        if (!withCpu.contains("cpu: " + cpu + "\n")) {
            throw new IllegalStateException("no resources.cpu to set in " + folder.resolve("config.yaml"));
        }
        part(body, boundary, "config", "config.yaml", withCpu.getBytes(StandardCharsets.UTF_8), "application/yaml");
        body.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + platform.port + "/api/v1/models"))
                .timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build();
        HttpResponse<String> r = platform.http.send(request, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) throw new IllegalStateException("POST /api/v1/models: " + r.statusCode() + " " + r.body());
        return r.body();
    }

    private static void part(ByteArrayOutputStream body, String boundary, String name, Path file, String type) throws Exception {
        part(body, boundary, name, file.getFileName().toString(), Files.readAllBytes(file), type);
    }

    private static void part(ByteArrayOutputStream body, String boundary, String name, String fileName, byte[] content, String type)
            throws Exception {
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\"" + fileName
                + "\"\r\nContent-Type: " + type + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.write(content);
        body.write("\r\n".getBytes(StandardCharsets.UTF_8));
    }

    /** {@code POST /api/v1/models/NAME/deploy} with one replica, then polls every 100 ms until {@code deployed.status} is READY. */
    static void deployAndWait(Platform platform, String token, String name) throws Exception {
        var r = platform.send("POST", "/api/v1/models/" + name + "/deploy", token, Json.string(Map.of("replicas", 1)));
        if (r.statusCode() != 202) throw new IllegalStateException("POST /api/v1/models/" + name + "/deploy: " + r.statusCode() + " " + r.body());
        long deadline = System.nanoTime() + WAIT.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            var g = platform.send("GET", "/api/v1/models/" + name, token, null);
            last = g.statusCode() + " " + g.body();
            if (g.statusCode() == 200) {
                JsonNode status = Json.read(g.body().getBytes(StandardCharsets.UTF_8), JsonNode.class).path("deployed").path("status");
                if (status.asText().equals("READY")) return;
                if (status.asText().equals("FAILED")) throw new IllegalStateException("model " + name + " FAILED: " + g.body());
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("model " + name + " not READY after " + WAIT.toSeconds() + " s; last answer: " + last);
    }

    /**
     * The model server serving {@code name} for this platform: a process whose command line has
     * {@code --model NAME} and which is one of the platform's descendants or lives in its data
     * directory (its HOME is its workload folder), with the port the agent gave it in
     * {@code LATTICE_PORT} and the key it wants in {@code LATTICE_SERVE_KEY} (the benchmark runs as the
     * platform's user, so it may read them, as the agent does). Other platforms on the machine (tests)
     * may serve a model of the same name.
     */
    static Server findServer(Platform platform, String name) {
        java.util.Set<Long> ours = new java.util.HashSet<>();
        platform.descendants().forEach(h -> ours.add(h.pid()));
        String data = platform.data.toAbsolutePath().normalize().toString();
        List<String> seen = new ArrayList<>();
        for (long pid : ProcTable.pids()) {
            List<String> c = ProcTable.cmdline(pid);
            // The java process itself, not the sandbox (bwrap) that holds it: its CPU is the server's.
            if (c == null || c.isEmpty() || !c.get(0).endsWith("java") || !servesModel(c, name)) continue;
            Map<String, String> env = ProcTable.environ(pid);
            boolean mine = ours.contains(pid) || String.valueOf(env.get("HOME")).startsWith(data);
            seen.add(pid + (mine ? " (ours)" : " (another platform's)"));
            if (mine && env.containsKey("LATTICE_PORT")) {
                return new Server(pid, Integer.parseInt(env.get("LATTICE_PORT")), env.get("LATTICE_SERVE_KEY"),
                        "the platform's replica, found in /proc by --model " + name + ", port and key from its LATTICE_PORT and LATTICE_SERVE_KEY");
            }
        }
        throw new IllegalStateException("no model server for " + name + " with LATTICE_PORT among this platform's processes; "
                + "processes with --model " + name + ": " + seen);
    }

    static boolean servesModel(List<String> cmdline, String name) {
        for (int i = 0; i < cmdline.size(); i++) {
            if (cmdline.get(i).equals("--model=" + name)) return true;
            if (cmdline.get(i).equals("--model") && i + 1 < cmdline.size() && cmdline.get(i + 1).equals(name)) return true;
        }
        return false;
    }
}
