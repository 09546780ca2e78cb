package dev.lattice.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lattice.core.Json;
import dev.lattice.sdk.EventStreamParser;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The CLI's HTTP client for the gateway: a refusal (4xx/5xx) becomes a {@link ClientException}
 * carrying the problem's detail and exit status 1; a platform that cannot be reached, exit status 3.
 */
public final class ApiClient {
    /** An answer the API gave with a 2xx status. */
    public record Answer(int status, byte[] body, String contentType) {
        public boolean isJson() {
            return contentType != null && contentType.contains("json") && body.length > 0;
        }

        public JsonNode json() {
            return Json.read(body, JsonNode.class);
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** One part of a multipart upload: a file sent under a form field name. */
    public record Part(String name, Path file) {}

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ClientSettings settings;

    public ApiClient(ClientSettings settings) {
        this.settings = settings;
    }

    public String url() {
        return settings.url();
    }

    public Answer call(String method, String path, byte[] json) {
        return call(method, path, json, "application/json");
    }

    /** A request whose body (when not null) is of {@code contentType}. */
    public Answer call(String method, String path, byte[] body, String contentType) {
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body);
        HttpRequest.Builder request = request(path).method(method, publisher);
        if (body != null) request.header("Content-Type", contentType);
        return send(request.build());
    }

    /** A multipart/form-data upload; with {@code progress} non-null, the share sent so far is drawn there. */
    public Answer upload(String path, List<Part> parts, PrintStream progress) {
        String boundary = "lattice-" + UUID.randomUUID();
        List<InputStream> pieces = new ArrayList<>();
        long length = 0;
        try {
            for (Part part : parts) {
                if (!Files.isRegularFile(part.file())) throw new ClientException(ClientException.USAGE, part.name() + ": no such file: " + part.file());
                byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + part.name() + "\"; filename=\""
                        + part.file().getFileName().toString().replace("\"", "") + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                        .getBytes(StandardCharsets.UTF_8);
                pieces.add(new ByteArrayInputStream(head));
                pieces.add(Files.newInputStream(part.file()));
                pieces.add(new ByteArrayInputStream("\r\n".getBytes(StandardCharsets.UTF_8)));
                length += head.length + Files.size(part.file()) + 2;
            }
        } catch (IOException e) {
            throw new ClientException(ClientException.USAGE, "cannot read an upload's file: " + e.getMessage());
        }
        byte[] tail = ("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        pieces.add(new ByteArrayInputStream(tail));
        length += tail.length;
        InputStream all = new SequenceInputStream(Collections.enumeration(pieces));
        InputStream counted = progress == null ? all : new Progress(all, length, progress);
        HttpRequest request = request(path)
                .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> counted), length))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary).build();
        try {
            return send(request);
        } finally {
            if (progress != null) progress.print("\r\033[K");
        }
    }

    /** Follows a {@code text/event-stream}, giving each event's data to {@code data} until the server ends it. */
    public void stream(String path, Consumer<String> data) {
        HttpRequest request = request(path).timeout(Duration.ofDays(365)).header("Accept", "text/event-stream").GET().build();
        try {
            HttpResponse<InputStream> r = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            if (r.statusCode() >= 300) {
                byte[] body;
                try (InputStream in = r.body()) {
                    body = in.readAllBytes();
                }
                throw refused(r.statusCode(), body);
            }
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
                EventStreamParser parser = new EventStreamParser();
                for (String line; (line = lines.readLine()) != null; ) {
                    EventStreamParser.Event event = parser.line(line);
                    if (event != null) data.accept(event.data());
                }
            }
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(settings.url() + path)).timeout(Duration.ofMinutes(10));
        if (settings.token() != null) b.header("Authorization", "Bearer " + settings.token());
        return b;
    }

    private Answer send(HttpRequest request) {
        try {
            HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            String type = r.headers().firstValue("Content-Type").orElse("");
            if (r.statusCode() >= 300) throw refused(r.statusCode(), r.body());
            return new Answer(r.statusCode(), r.body(), type);
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClientException(ClientException.UNREACHABLE, "interrupted");
        }
    }

    private ClientException unreachable(IOException e) {
        String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new ClientException(ClientException.UNREACHABLE, "cannot reach Lattice at " + settings.url() + " (" + why
                + "): is it running? (lattice login --url URL, or LATTICE_URL)");
    }

    static ClientException refused(int status, byte[] body) {
        String detail;
        try {
            JsonNode problem = Json.read(body, JsonNode.class);
            detail = problem.path("title").asText("") + ": " + problem.path("detail").asText("");
        } catch (RuntimeException notJson) {
            detail = new String(body, StandardCharsets.UTF_8).strip();
        }
        String hint = status == 401 ? " (log in: lattice login, or set LATTICE_TOKEN)" : "";
        return new ClientException(ClientException.REFUSED, status + " " + detail + hint);
    }

    /** Counts the bytes an upload has sent and draws the share on a terminal line. */
    private static final class Progress extends InputStream {
        private final InputStream in;
        private final long total;
        private final PrintStream out;
        private long sent;
        private int shown = -1;

        Progress(InputStream in, long total, PrintStream out) {
            this.in = in;
            this.total = Math.max(1, total);
            this.out = out;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) advance(1);
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = in.read(buf, off, len);
            if (n > 0) advance(n);
            return n;
        }

        private void advance(int n) {
            sent += n;
            int percent = (int) (100 * sent / total);
            if (percent != shown) {
                shown = percent;
                out.printf("\ruploading %3d%% (%.1f of %.1f MiB)", percent, sent / 1048576.0, total / 1048576.0);
                out.flush();
            }
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
