package dev.lattice.monitor.webhooks;

import dev.lattice.api.monitor.MonitorCommands;
import dev.lattice.api.monitor.MonitorCommands.NewWebhook;
import dev.lattice.api.monitor.MonitorCommands.WebhookId;
import dev.lattice.api.monitor.Webhook;
import dev.lattice.bus.rpc.Handler;
import dev.lattice.bus.rpc.Request;
import dev.lattice.bus.state.StateOwner;
import dev.lattice.bus.state.Versioned;
import dev.lattice.core.LatticeException;
import dev.lattice.core.Role;
import dev.lattice.core.SecretTokens;
import java.net.URI;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates, lists and deletes webhooks (admin only). Any http(s) URL is accepted, loopback and
 * private addresses included: only an admin can set one, and receivers on the platform's own
 * network are the common case.
 */
public final class WebhookCommands {
    private static final Logger log = LoggerFactory.getLogger(WebhookCommands.class);
    private static final Pattern KIND = Pattern.compile("[a-z][a-z0-9-]{0,63}");
    private static final int MAX_URL = 2048;
    private static final int MAX_SECRET = 256;
    private static final int MAX_EVENTS = 64;

    private final StateOwner<Webhook> hooks;
    private final Clock clock;

    public WebhookCommands(StateOwner<Webhook> hooks, Clock clock) {
        this.hooks = hooks;
        this.clock = clock;
    }

    public Map<String, Handler> handlers() {
        return Map.of(
                MonitorCommands.CREATE_WEBHOOK, this::create,
                MonitorCommands.LIST_WEBHOOKS, this::list,
                MonitorCommands.DELETE_WEBHOOK, this::delete);
    }

    Webhook.Info create(Request request) {
        request.require(Role.ADMIN);
        NewWebhook in = request.payload(NewWebhook.class);
        if (in == null) throw LatticeException.badRequest("core:field.missing", "url: is required");
        String url = checkUrl(in.url());
        List<String> events = checkEvents(in.events());
        String secret = in.secret();
        if (secret == null || secret.length() < MonitorCommands.MIN_SECRET || secret.length() > MAX_SECRET) {
            throw LatticeException.badRequest("monitor:webhook.secret",
                    "secret: " + MonitorCommands.MIN_SECRET + " to " + MAX_SECRET + " characters (it signs every delivery)");
        }
        String id = SecretTokens.newId();
        Webhook hook = new Webhook(id, url, events, secret, request.principal().name(), clock.instant());
        hooks.create(id, hook, request.principal().name());
        log.info("webhook {} to {} for {} made by {}", id, url, events, request.principal().name());
        return hook.info();
    }

    List<Webhook.Info> list(Request request) {
        request.require(Role.ADMIN);
        return hooks.view().list().stream().map(Versioned::value).map(Webhook::info)
                .sorted(Comparator.comparing(Webhook.Info::createdAt).reversed()).toList();
    }

    Webhook.Info delete(Request request) {
        request.require(Role.ADMIN);
        WebhookId in = request.payload(WebhookId.class);
        String id = in == null || in.id() == null ? "" : in.id();
        Versioned<Webhook> current = hooks.view().get(id)
                .orElseThrow(() -> LatticeException.notFound("monitor:webhook.not-found", "webhook '" + id + "' does not exist"));
        hooks.delete(id, current.version(), request.principal().name());
        log.info("webhook {} deleted by {}", id, request.principal().name());
        return current.value().info();
    }

    static String checkUrl(String url) {
        if (url == null || url.isBlank()) throw LatticeException.badRequest("core:field.missing", "url: is required");
        if (url.length() > MAX_URL) throw LatticeException.badRequest("monitor:webhook.url", "url: at most " + MAX_URL + " characters");
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw LatticeException.badRequest("monitor:webhook.url", "url: not a URL (" + e.getMessage() + ")");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null || uri.getUserInfo() != null) {
            throw LatticeException.badRequest("monitor:webhook.url", "url: an http(s) URL with a host and no user:password@ is needed");
        }
        return url;
    }

    static List<String> checkEvents(List<String> events) {
        if (events == null || events.isEmpty()) {
            throw LatticeException.badRequest("monitor:webhook.events", "events: give [\"*\"] or the kinds to send (e.g. [\"hung\",\"oom-killed\"])");
        }
        if (events.size() > MAX_EVENTS) throw LatticeException.badRequest("monitor:webhook.events", "events: at most " + MAX_EVENTS);
        for (int i = 0; i < events.size(); i++) {
            String e = events.get(i);
            if (e == null || !e.equals(Webhook.ALL) && !KIND.matcher(e).matches()) {
                throw LatticeException.badRequest("monitor:webhook.events", "events[" + i + "]: '" + e + "' is neither * nor an event kind");
            }
        }
        return List.copyOf(events);
    }
}
