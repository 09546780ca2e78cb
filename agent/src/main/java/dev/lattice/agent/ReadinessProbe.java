package dev.lattice.agent;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Asks a workload that serves HTTP whether it is ready: {@code GET http://HOST:PORT/PATH}
 * answering 2xx within a second. HOST is loopback when the workload runs on this machine (process,
 * or container on the host network), whatever address it is advertised under, and a remote Docker
 * engine's host for its containers ({@code WorkloadRuntime#workloadHost}). A workload whose
 * env holds a serve key ({@value #KEY_ENV}: a model server) answers nobody without it, so the
 * probe presents it as a bearer credential.
 */
final class ReadinessProbe {
    private static final Duration TIMEOUT = Duration.ofSeconds(1);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(TIMEOUT)
            .version(HttpClient.Version.HTTP_1_1).build();

    static final String KEY_ENV = "LATTICE_SERVE_KEY";

    private final URI uri;
    private final String key;

    /** @param env the workload's launch env, where its serve key is if it has one */
    ReadinessProbe(String host, int port, String path, java.util.Map<String, String> env) {
        this.uri = URI.create("http://" + host + ":" + port + path);
        this.key = env == null ? null : env.get(KEY_ENV);
    }

    /** Null when ready, else why not (for the workload's status message). */
    String check() {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET();
            if (key != null) request.header("Authorization", "Bearer " + key);
            HttpResponse<Void> answer = HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding());
            int code = answer.statusCode();
            return code >= 200 && code < 300 ? null : uri.getPath() + " answered " + code;
        } catch (IOException e) {
            return uri.getPath() + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
