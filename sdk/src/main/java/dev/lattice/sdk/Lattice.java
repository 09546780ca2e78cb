package dev.lattice.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * What a running Lattice application uses: its instance id, bindings and params from the
 * environment the platform gives it, and the gateway routes its token may call — readings and
 * live streams of its bound sensors, commands to its bound controllers, predictions of the
 * models its config names, and outputs for its user to see.
 *
 * <pre>{@code
 * try (Lattice lattice = Lattice.fromEnv()) {
 *     String machine = lattice.sensor("machine");        // the instance bound to "machine"
 *     String alarm = lattice.controller("alarm");
 *     boolean quiet = lattice.paramBoolean("quiet", false);
 *     lattice.subscribe(machine, reading -> {
 *         JsonNode answer = lattice.predict("anomaly", reading.values());
 *         boolean anomaly = answer.path("label").asText().equals("anomaly");
 *         if (anomaly && !quiet) lattice.command(alarm, "set", Map.of("on", true));
 *         lattice.emit(Map.of("reading", reading.values(), "label", answer.path("label").asText()));
 *     });
 *     Thread.currentThread().join();                     // run until the platform stops the instance
 * }
 * }</pre>
 *
 * <p>Creating one reads and checks the environment (no call is made); a missing or malformed
 * variable is an {@link IllegalStateException} naming it. Each call is one HTTP request with the
 * instance's token, bounded by a timeout ({@link #DEFAULT_TIMEOUT} unless given). Calls throw
 * {@link LatticeApiException} when the gateway answers with an error (status, title, detail and
 * code of its problem), {@link java.io.UncheckedIOException} when it cannot be reached, does not
 * answer in time or answers what the route does not promise, and {@link IllegalArgumentException} for arguments the SDK can tell are wrong.
 * Nothing is retried except a subscription's stream.
 *
 * <p>Thread-safe: one instance is meant to be shared by the whole app. {@link #close()} ends its
 * subscriptions and releases its HTTP client.
 */
public final class Lattice implements AutoCloseable {
    /**
     * How long a call waits for its answer: longer than the gateway's own 30 s wait for a model
     * replica, so that a slow prediction ends in the gateway's problem rather than a client timeout.
     */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(40);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final System.Logger LOG = System.getLogger(Lattice.class.getName());

    private final Env env;
    private final HttpClient http;
    private final Gateway gateway;
    private final Reconnect reconnect;
    private final Set<Subscription> subscriptions = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    Lattice(Env env, HttpClient http, Duration timeout, Reconnect reconnect) {
        if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("timeout: must be positive, not " + timeout);
        this.env = env;
        this.http = http;
        this.gateway = new Gateway(http, env.url(), env.token(), timeout);
        this.reconnect = reconnect;
    }

    /**
     * The SDK for this process, from its environment ({@code LATTICE_URL}, {@code LATTICE_TOKEN},
     * {@code LATTICE_INSTANCE}, {@code LATTICE_BINDINGS}, {@code LATTICE_PARAMS}).
     *
     * @throws IllegalStateException naming the first variable that is missing or malformed
     */
    public static Lattice fromEnv() {
        return from(System.getenv());
    }

    /**
     * The SDK for the given environment, such as a test's or one read from a file.
     *
     * @throws IllegalStateException naming the first variable that is missing or malformed
     */
    public static Lattice from(Map<String, String> env) {
        return from(env, DEFAULT_TIMEOUT);
    }

    /**
     * The SDK for the given environment, with {@code timeout} bounding every call.
     *
     * @throws IllegalStateException naming the first variable that is missing or malformed
     * @throws IllegalArgumentException if the timeout is not positive
     */
    public static Lattice from(Map<String, String> env, Duration timeout) {
        return create(env, timeout, Reconnect.DEFAULT);
    }

    static Lattice create(Map<String, String> env, Duration timeout, Reconnect reconnect) {
        Env parsed = Env.parse(Objects.requireNonNull(env, "env"));
        HttpClient http = HttpClient.newBuilder()
                // The gateway speaks HTTP/1.1; asking for an h2c upgrade on every connection would only cost a round trip.
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        return new Lattice(parsed, http, timeout, reconnect);
    }

    /** The gateway's base URL ({@code LATTICE_URL}), without a trailing slash. */
    public URI url() {
        return env.url();
    }

    /** This app instance's id ({@code LATTICE_INSTANCE}). */
    public String instanceId() {
        return env.instance();
    }

    /** Binding name to the ids of the sensor or controller instances the user chose for it, unmodifiable. */
    public Map<String, List<String>> bindings() {
        return env.bindings();
    }

    /**
     * The one sensor instance bound to {@code binding}.
     *
     * @throws IllegalArgumentException if the instance has no binding of that name
     * @throws IllegalStateException if the binding holds no instance or several (use {@link #sensors})
     */
    public String sensor(String binding) {
        return env.single(binding, "sensor");
    }

    /**
     * The sensor instances bound to {@code binding}, in the order the user gave them (maybe none, if the config allows it).
     *
     * @throws IllegalArgumentException if the instance has no binding of that name
     */
    public List<String> sensors(String binding) {
        return env.ids(binding);
    }

    /**
     * The one controller instance bound to {@code binding}.
     *
     * @throws IllegalArgumentException if the instance has no binding of that name
     * @throws IllegalStateException if the binding holds no instance or several (use {@link #controllers})
     */
    public String controller(String binding) {
        return env.single(binding, "controller");
    }

    /**
     * The controller instances bound to {@code binding}, in the order the user gave them.
     *
     * @throws IllegalArgumentException if the instance has no binding of that name
     */
    public List<String> controllers(String binding) {
        return env.ids(binding);
    }

    /**
     * Every param of this instance (defaults filled in by the platform): {@code String}, {@code Long}
     * for whole numbers, {@code Double} for other numbers or {@code Boolean}; unmodifiable.
     */
    public Map<String, Object> params() {
        return env.params();
    }

    /** The value of param {@code name} as in {@link #params()}, or null if the instance has none. */
    public Object param(String name) {
        return env.params().get(name);
    }

    /**
     * A string param.
     *
     * @throws IllegalStateException if it is missing or not a string
     */
    public String paramString(String name) {
        return env.typed(name, String.class, "a string");
    }

    /** A string param, or {@code fallback} if the instance has none; a param of another type is an {@link IllegalStateException}. */
    public String paramString(String name, String fallback) {
        return param(name) == null ? fallback : paramString(name);
    }

    /**
     * A number param as a double (a whole number too).
     *
     * @throws IllegalStateException if it is missing or not a number
     */
    public double paramDouble(String name) {
        return env.typed(name, Number.class, "a number").doubleValue();
    }

    /** A number param, or {@code fallback} if the instance has none; a param of another type is an {@link IllegalStateException}. */
    public double paramDouble(String name, double fallback) {
        return param(name) == null ? fallback : paramDouble(name);
    }

    /**
     * An integer param.
     *
     * @throws IllegalStateException if it is missing or not a whole number that fits a long
     */
    public long paramLong(String name) {
        return env.wholeNumber(name);
    }

    /** An integer param, or {@code fallback} if the instance has none; a param of another type is an {@link IllegalStateException}. */
    public long paramLong(String name, long fallback) {
        return param(name) == null ? fallback : paramLong(name);
    }

    /**
     * A boolean param.
     *
     * @throws IllegalStateException if it is missing or not a boolean
     */
    public boolean paramBoolean(String name) {
        return env.typed(name, Boolean.class, "a boolean");
    }

    /** A boolean param, or {@code fallback} if the instance has none; a param of another type is an {@link IllegalStateException}. */
    public boolean paramBoolean(String name, boolean fallback) {
        return param(name) == null ? fallback : paramBoolean(name);
    }


    /**
     * The newest readings of a sensor instance, newest first: {@code GET
     * /api/v1/sensor-instances/{id}/readings?limit=N}.
     *
     * @param limit how many at most (the gateway allows 0 to 1000)
     * @throws LatticeApiException 403 if the sensor is not bound to this instance, 404 if unknown
     */
    public List<Reading> readings(String sensorId, int limit) {
        if (limit < 0) throw new IllegalArgumentException("limit: must not be negative, not " + limit);
        String path = "/api/v1/sensor-instances/" + Gateway.segment(sensorId) + "/readings?limit=" + limit;
        JsonNode answer = gateway.get(path);
        if (answer == null || !answer.isArray()) throw notExpected("GET " + path, "a list of readings", answer);
        List<Reading> readings = new ArrayList<>(answer.size());
        for (JsonNode r : answer) {
            try {
                readings.add(Reading.fromJson(sensorId, r));
            } catch (IllegalArgumentException e) {
                throw notExpected("GET " + path, "readings {\"ts\",\"values\"}", answer);
            }
        }
        return List.copyOf(readings);
    }

    /**
     * Calls {@code listener} with each new reading of a sensor instance, as the gateway streams
     * them ({@code GET /api/v1/sensor-instances/{id}/stream}), until the subscription is closed.
     *
     * <p>This method connects before it returns, so a stream the gateway refuses for good (401,
     * 403, 404) is thrown here; a gateway that cannot be reached or is not ready is retried in the
     * background, as is a stream that drops or goes silent later, with a backoff from 0.5 s to 30 s.
     * Readings sent while the stream was down are not replayed: use {@link #readings} to catch up.
     *
     * <p>The listener runs on the subscription's own virtual thread, one reading at a time, in
     * the order they arrive; it may call this object. A listener that throws is logged (through
     * {@link System.Logger}) and called again with the next reading. A listener slower than the
     * readings makes them queue at the gateway, which drops the oldest when too many wait.
     *
     * @throws LatticeApiException if the gateway refuses the stream with a 4xx other than 408 or 429
     * @throws IllegalStateException if this object is closed
     */
    public Subscription subscribe(String sensorId, Consumer<Reading> listener) {
        Objects.requireNonNull(listener, "listener");
        if (closed) throw new IllegalStateException("this Lattice is closed");
        String path = StreamSubscription.streamPath(sensorId);
        InputStream first = null;
        try {
            first = gateway.openStream(path, new Gateway.PendingCall());
        } catch (LatticeApiException e) {
            if (e.status() / 100 == 4 && !e.isRetriable()) throw e;
            LOG.log(Level.WARNING, "readings of {0}: cannot open the stream yet, will retry: {1}", sensorId, e.getMessage());
        } catch (UncheckedIOException e) {
            LOG.log(Level.WARNING, "readings of {0}: cannot open the stream yet, will retry: {1}", sensorId, e.getMessage());
        }
        StreamSubscription subscription = new StreamSubscription(gateway, sensorId, listener, reconnect, first, subscriptions::remove);
        subscriptions.add(subscription);
        if (closed) {
            subscription.close();
            throw new IllegalStateException("this Lattice is closed");
        }
        return subscription;
    }

    /**
     * Sends a command to a controller instance: {@code POST /api/v1/controller-instances/{id}/commands}
     * {@code {"command","params"}}. The answer means the platform took it; whether the device got it
     * shows later in the command's status ({@code GET} on the same path).
     *
     * @param params the command's parameters as its controller type declares them; null for none
     * @return the command's id
     * @throws LatticeApiException 400 if the type has no such command or a param does not fit, 403 if the
     *         controller is not bound to this instance
     */
    public String command(String controllerId, String command, Map<String, ?> params) {
        if (command == null || command.isBlank()) throw new IllegalArgumentException("command: a command name is required");
        String path = "/api/v1/controller-instances/" + Gateway.segment(controllerId) + "/commands";
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("command", command);
        body.put("params", params == null ? Map.of() : params);
        JsonNode answer = gateway.post(path, body);
        JsonNode id = answer == null ? null : answer.get("commandId");
        if (id == null || !id.isTextual()) throw notExpected("POST " + path, "{\"commandId\"}", answer);
        return id.textValue();
    }

    /**
     * Asks a model for a prediction: {@code POST /api/v1/models/{name}/predict} with {@code request}
     * as JSON (a {@code Map}, a record, a {@code JsonNode}, or a list of them for several at once).
     *
     * @return the answer its contract makes, such as {@code {"label":"anomaly","score":0.98}}
     * @throws LatticeApiException 400 naming a missing or mistyped field, 403 if the app's config does not
     *         name the model, 503 while the model has no ready replica
     * @throws IllegalArgumentException if {@code request} cannot be written as JSON
     */
    public JsonNode predict(String model, Object request) {
        Objects.requireNonNull(request, "request");
        String path = "/api/v1/models/" + Gateway.segment(model) + "/predict";
        JsonNode answer = gateway.post(path, request);
        if (answer == null) throw notExpected("POST " + path, "a JSON answer", null);
        return answer;
    }

    /**
     * Reports an output for this instance's user to see: {@code POST
     * /api/v1/app-instances/{instanceId}/outputs} with {@code output} as the JSON object. Values may
     * be anything Jackson writes (numbers, strings, booleans, maps, lists, records, {@link Reading}s);
     * {@code java.time} values are written as ISO-8601 text.
     *
     * @throws LatticeApiException 400 if the gateway refuses the object (too large, say)
     * @throws IllegalArgumentException if {@code output} cannot be written as JSON
     */
    public void emit(Map<String, ?> output) {
        Objects.requireNonNull(output, "output");
        gateway.post("/api/v1/app-instances/" + Gateway.segment(env.instance()) + "/outputs", output);
    }

    /** Closes every open subscription, then the HTTP client; calls made afterwards fail. Idempotent. */
    @Override
    public void close() {
        closed = true;
        for (Subscription s : List.copyOf(subscriptions)) s.close();
        http.shutdownNow();
    }

    @Override
    public String toString() {
        return "Lattice[url=" + env.url() + ", instance=" + env.instance() + "]";
    }

    private static UncheckedIOException notExpected(String request, String expected, JsonNode answer) {
        String got = answer == null ? "an empty body" : answer.toString();
        if (got.length() > 200) got = got.substring(0, 200) + "…";
        return new UncheckedIOException(request + ": expected " + expected + " in the answer, got " + got,
                new java.io.IOException("unexpected answer"));
    }
}
