package dev.lattice.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lattice.core.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where the CLI sends requests and with which token: {@code $XDG_CONFIG_HOME/lattice/config.json}
 * (else {@code ~/.config/lattice/config.json}), written by {@code lattice login} with mode 600;
 * {@code LATTICE_URL} and {@code LATTICE_TOKEN} override it (scripts and CI set them, with an API key).
 */
public record ClientSettings(String url, String token) {
    public static final String DEFAULT_URL = "http://localhost:8080";

    public static Path file(Map<String, String> env) {
        String xdg = env.get("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
        return base.resolve("lattice").resolve("config.json");
    }

    public static ClientSettings load(Map<String, String> env) {
        String url = null;
        String token = null;
        Path file = file(env);
        if (Files.isRegularFile(file)) {
            try {
                JsonNode saved = Json.read(Files.readAllBytes(file), JsonNode.class);
                url = text(saved, "url");
                token = text(saved, "token");
            } catch (IOException | RuntimeException e) {
                throw new ClientException(2, "cannot read " + file + ": " + e.getMessage() + " (log in again, or delete it)");
            }
        }
        if (present(env.get("LATTICE_URL"))) url = env.get("LATTICE_URL");
        if (present(env.get("LATTICE_TOKEN"))) token = env.get("LATTICE_TOKEN");
        return new ClientSettings(stripSlash(url == null ? DEFAULT_URL : url), token);
    }

    /** Saves URL and token, readable by the user alone (the file is made 600 before the token is in it). */
    public void save(Map<String, String> env) {
        Path file = file(env);
        try {
            Files.createDirectories(file.getParent());
            if (!Files.exists(file)) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            Map<String, String> content = new LinkedHashMap<>();
            content.put("url", url);
            content.put("token", token);
            Files.write(file, Json.bytes(content), StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static boolean present(String s) {
        return s != null && !s.isBlank();
    }

    static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
