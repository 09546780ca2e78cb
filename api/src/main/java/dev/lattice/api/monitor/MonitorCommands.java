package dev.lattice.api.monitor;

import java.util.List;

/** The monitor's commands (on {@code lattice.requests.monitor}) and their payloads: webhooks, admin only. */
public final class MonitorCommands {
    public static final String SERVICE = "monitor";
    public static final String CREATE_WEBHOOK = "create-webhook";
    public static final String LIST_WEBHOOKS = "list-webhooks";
    public static final String DELETE_WEBHOOK = "delete-webhook";
    /** A secret shorter than this makes a signature anyone could forge by guessing. */
    public static final int MIN_SECRET = 16;

    private MonitorCommands() {}

    public record NewWebhook(String url, List<String> events, String secret) {}

    public record WebhookId(String id) {}
}
