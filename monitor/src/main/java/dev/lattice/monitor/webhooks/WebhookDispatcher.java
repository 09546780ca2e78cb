package dev.lattice.monitor.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lattice.api.monitor.Webhook;
import dev.lattice.api.monitor.WebhookDelivery;
import dev.lattice.api.monitor.WebhookDelivery.Attempt;
import dev.lattice.api.monitor.WebhookDelivery.Status;
import dev.lattice.bus.Bus;
import dev.lattice.bus.feed.BusRecord;
import dev.lattice.bus.feed.From;
import dev.lattice.bus.state.StateOwner;
import dev.lattice.bus.state.Versioned;
import dev.lattice.core.Json;
import dev.lattice.workloads.Events;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends events to webhooks. Each event of {@code lattice.events} that a webhook wants becomes a
 * delivery (kind {@code webhook-delivery}), which a one-second loop POSTs until the receiver answers
 * 2xx, retrying after 1 s, 2 s, 4 s ... (at most {@link #MAX_BACKOFF} apart) and giving up 24 h
 * after the first try. Deliveries are state on Kafka, not memory: a restarted monitor re-reads the
 * last 24 h of events, skips those that already have a delivery, and resumes the pending ones.
 *
 * <p>The body is the event's JSON exactly as stored (the same as {@code GET /api/v1/events}
 * gives); {@code X-Lattice-Signature: sha256=HEX} is its HMAC-SHA256 with the webhook's secret, and
 * {@code X-Lattice-Delivery} names the delivery, so a receiver can drop a repeat.
 */
public final class WebhookDispatcher {
    private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);
    public static final Duration GIVE_UP = Duration.ofHours(24);
    /** A delivery record outlives the event window it guards against re-sending. */
    static final Duration KEEP = GIVE_UP.plusHours(1);
    static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    static final Duration MAX_BACKOFF = Duration.ofMinutes(30);
    static final Duration TIMEOUT = Duration.ofSeconds(5);
    public static final String SIGNATURE = "X-Lattice-Signature";

    private final StateOwner<Webhook> hooks;
    private final StateOwner<WebhookDelivery> deliveries;
    private final Clock clock;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER).build();

    private WebhookDispatcher(StateOwner<Webhook> hooks, StateOwner<WebhookDelivery> deliveries, Clock clock) {
        this.hooks = hooks;
        this.deliveries = deliveries;
        this.clock = clock;
    }

    /** Follows the events of the last {@link #GIVE_UP} and runs the sending loop; both close with the bus. */
    public static WebhookDispatcher start(Bus bus, StateOwner<Webhook> hooks, StateOwner<WebhookDelivery> deliveries) {
        bus.ensure(Events.STREAM);
        WebhookDispatcher d = new WebhookDispatcher(hooks, deliveries, bus.clock());
        var loop = bus.loop("webhooks", Duration.ofSeconds(1), d::pass);
        bus.follow(Events.TOPIC, From.within(GIVE_UP), Duration.ofMillis(500), r -> {
            if (d.event(r)) loop.wake();
        });
        return d;
    }

    /** Makes a delivery for each webhook that wants this event and has none for it yet; true if it made one. */
    boolean event(BusRecord r) {
        JsonNode event;
        try {
            event = Json.read(r.value(), JsonNode.class);
        } catch (RuntimeException bad) {
            return false;
        }
        String kind = event.path("kind").asText("");
        Instant ts = Instant.parse(event.path("ts").asText(Instant.EPOCH.toString()));
        Instant now = clock.instant();
        if (ts.isBefore(now.minus(GIVE_UP))) return false;
        boolean made = false;
        for (Versioned<Webhook> v : hooks.view().list()) {
            Webhook hook = v.value();
            String name = WebhookDelivery.name(hook.id(), r.offset());
            if (!hook.wants(kind) || ts.isBefore(hook.createdAt()) || deliveries.view().get(name).isPresent()) continue;
            deliveries.create(name, new WebhookDelivery(hook.id(), r.offset(), event, Status.PENDING, List.of(), now, now), "monitor");
            made = true;
        }
        return made;
    }

    /**
     * One turn: sends every delivery that is due, and forgets finished ones older than {@link #KEEP}.
     * Each webhook's due deliveries go in event order on a virtual thread of their own, so a receiver
     * that is slow or unreachable (up to {@link #TIMEOUT} a try) delays only its own deliveries.
     */
    void pass() {
        Instant now = clock.instant();
        Map<Webhook, List<Versioned<WebhookDelivery>>> due = new LinkedHashMap<>();
        for (Versioned<WebhookDelivery> v : deliveries.view().list()) {
            WebhookDelivery d = v.value();
            Optional<Webhook> hook = hooks.view().get(d.webhook()).map(Versioned::value);
            if (hook.isEmpty() || d.status() != Status.PENDING && d.firstAt().isBefore(now.minus(KEEP))) {
                deliveries.delete(WebhookDelivery.name(d.webhook(), d.offset()), v.version(), "monitor");
            } else if (d.status() == Status.PENDING && !d.nextAttemptAt().isAfter(now)) {
                due.computeIfAbsent(hook.get(), h -> new ArrayList<>()).add(v);
            }
        }
        if (due.isEmpty()) return;
        try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
            due.forEach((hook, list) -> senders.submit(() -> {
                list.sort(Comparator.comparingLong(v -> v.value().offset()));
                for (Versioned<WebhookDelivery> v : list) {
                    WebhookDelivery d = v.value();
                    deliveries.update(WebhookDelivery.name(d.webhook(), d.offset()), v.version(), send(hook, d), "monitor");
                }
            }));
        }
    }

    private WebhookDelivery send(Webhook hook, WebhookDelivery d) {
        byte[] body = Json.bytes(d.event());
        Attempt attempt;
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(hook.url())).timeout(TIMEOUT)
                    .header("Content-Type", "application/json")
                    .header(SIGNATURE, "sha256=" + sign(hook.secret(), body))
                    .header("X-Lattice-Delivery", WebhookDelivery.name(d.webhook(), d.offset()))
                    .header("X-Lattice-Event", d.event().path("kind").asText(""))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
            int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            attempt = new Attempt(clock.instant(), status, status / 100 == 2 ? null : "HTTP " + status);
        } catch (IOException | IllegalArgumentException e) {
            attempt = new Attempt(clock.instant(), 0, e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return d;
        }
        if (attempt.error() == null) return d.after(attempt, Status.DELIVERED, null);
        Instant now = attempt.at();
        if (!now.isBefore(d.firstAt().plus(GIVE_UP))) {
            log.warn("webhook {}: gave up on event {} after {} attempts ({})", hook.id(), d.offset(), d.attempts().size() + 1, attempt.error());
            return d.after(attempt, Status.FAILED, null);
        }
        log.info("webhook {}: event {} not delivered ({}), attempt {}", hook.id(), d.offset(), attempt.error(), d.attempts().size() + 1);
        return d.after(attempt, Status.PENDING, now.plus(backoff(d.attempts().size() + 1)));
    }

    /** 1 s after the first failed attempt, doubling, at most {@link #MAX_BACKOFF}. */
    static Duration backoff(int failedAttempts) {
        long seconds = FIRST_BACKOFF.toSeconds() << Math.min(failedAttempts - 1, 20);
        return Duration.ofSeconds(Math.min(seconds, MAX_BACKOFF.toSeconds()));
    }

    /** Lower-case hex of HMAC-SHA256(secret, body), as {@code X-Lattice-Signature: sha256=...} carries it. */
    public static String sign(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
