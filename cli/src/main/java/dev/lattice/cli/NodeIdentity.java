package dev.lattice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lattice.bus.KafkaSecurity;
import dev.lattice.core.Json;
import dev.lattice.workloads.NodeCommands;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

/**
 * A joined node's Kafka identity: traded once for a join token at the control plane's gateway
 * ({@code POST /api/v1/nodes/join}) and kept in the node's folder (mode 600), so that the agent
 * restarts without the token. Each trade makes a new password, which ends the previous one.
 */
final class NodeIdentity {
    static final String FILE = "kafka-identity.json";

    private NodeIdentity() {}

    /** Why a join failed, said as the agent's user needs to read it. */
    static final class JoinFailed extends Exception {
        JoinFailed(String message) {
            super(message);
        }
    }

    /** The identity kept in {@code dir} for {@code node}, if any. */
    static java.util.Optional<NodeCommands.Joined> saved(Path dir, String node) throws IOException {
        Path file = dir.resolve(FILE);
        if (!Files.exists(file)) return java.util.Optional.empty();
        NodeCommands.Joined j = Json.MAPPER.readValue(Files.readAllBytes(file), NodeCommands.Joined.class);
        return node.equals(j.node()) ? java.util.Optional.of(j) : java.util.Optional.empty();
    }

    /** Trades {@code token} at {@code server} (HOST:PORT or a URL) for {@code node}'s identity, and keeps it in {@code dir}. */
    static NodeCommands.Joined join(String server, String token, String node, Path dir) throws JoinFailed, IOException {
        String base = server.startsWith("http://") || server.startsWith("https://") ? server : "http://" + server;
        while (base.endsWith("/")) base = base.substring(0, base.length() - 1);
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(base + "/api/v1/nodes/join")).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(Json.bytes(new NodeCommands.JoinRequest(token, node)))).build();
        } catch (IllegalArgumentException e) {
            throw new JoinFailed("--server " + server + " is not HOST:PORT or an http(s) URL");
        }
        HttpResponse<byte[]> response;
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()) {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new JoinFailed("cannot reach the platform at " + base + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JoinFailed("interrupted");
        }
        if (response.statusCode() != 200) {
            String detail;
            try {
                JsonNode problem = Json.MAPPER.readTree(response.body());
                detail = problem.path("detail").asText(new String(response.body()));
            } catch (IOException e) {
                detail = new String(response.body());
            }
            throw new JoinFailed("the platform at " + base + " refused to join node " + node + " (" + response.statusCode() + "): " + detail);
        }
        NodeCommands.Joined joined = Json.read(response.body(), NodeCommands.Joined.class);
        save(dir, joined);
        return joined;
    }

    static KafkaSecurity security(NodeCommands.Joined joined) {
        return KafkaSecurity.scram(joined.username(), joined.password());
    }

    private static void save(Path dir, NodeCommands.Joined joined) throws IOException {
        Files.createDirectories(dir);
        Path tmp = dir.resolve(FILE + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(tmp, Json.bytes(joined));
        Files.move(tmp, dir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static void forget(Path dir) throws IOException {
        Files.deleteIfExists(dir.resolve(FILE));
    }
}
