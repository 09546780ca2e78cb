package dev.lattice.api.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One event on its way to one webhook (kind {@value #KIND}, named {@code WEBHOOK/OFFSET}, the
 * event's place in {@code lattice.events}): the event as {@code GET /api/v1/events} shows it, every
 * attempt so far, and what comes next. The monitor writes it; the gateway shows it
 * ({@code GET /api/v1/webhooks/{id}/deliveries}).
 */
public record WebhookDelivery(String webhook, long offset, JsonNode event, Status status, List<Attempt> attempts,
        Instant firstAt, Instant nextAttemptAt) {
    public static final String KIND = "webhook-delivery";

    public enum Status { PENDING, DELIVERED, FAILED }

    /** One POST: when, the receiver's HTTP status (0: no answer) and, if it failed, why. */
    public record Attempt(Instant at, int status, String error) {}

    public static String name(String webhook, long offset) {
        return webhook + "/" + offset;
    }

    public WebhookDelivery after(Attempt attempt, Status status, Instant next) {
        List<Attempt> all = new ArrayList<>(attempts);
        all.add(attempt);
        return new WebhookDelivery(webhook, offset, event, status, List.copyOf(all), firstAt, next);
    }
}
