package dev.lattice.api.monitor;

import java.time.Instant;
import java.util.List;

/**
 * A webhook as the monitor keeps it (kind {@value #KIND}): where to POST which events, and the
 * secret their HMAC-SHA256 signature is made with. The secret stays in the platform's Kafka: no API
 * answer shows it ({@link #info()}). Events older than {@code createdAt} are not sent to it.
 */
public record Webhook(String id, String url, List<String> events, String secret, String createdBy, Instant createdAt) {
    public static final String KIND = "webhook";
    /** In {@link #events}: every kind. */
    public static final String ALL = "*";

    public boolean wants(String kind) {
        return events.contains(ALL) || events.contains(kind);
    }

    public Info info() {
        return new Info(id, url, events, createdBy, createdAt);
    }

    /** What the API shows of a webhook: everything but its secret. */
    public record Info(String id, String url, List<String> events, String createdBy, Instant createdAt) {}
}
