package dev.lattice.monitor;

import dev.lattice.api.auth.VerifiedCaller;
import dev.lattice.api.monitor.HealthReport;
import dev.lattice.api.monitor.Webhook;
import dev.lattice.api.monitor.WebhookDelivery;
import dev.lattice.bus.Bus;
import dev.lattice.bus.Topics;
import dev.lattice.bus.feed.BusRecord;
import dev.lattice.bus.feed.Follower;
import dev.lattice.bus.feed.From;
import dev.lattice.bus.heartbeat.Heartbeat;
import dev.lattice.bus.heartbeat.HeartbeatPublisher;
import dev.lattice.bus.state.StateOwner;
import dev.lattice.core.Json;
import dev.lattice.core.PlatformServices;
import dev.lattice.monitor.health.HealthTracker;
import dev.lattice.monitor.webhooks.WebhookCommands;
import dev.lattice.monitor.webhooks.WebhookDispatcher;
import dev.lattice.workloads.Events;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the monitor:
 * <ol>
 *   <li>connects to Kafka and starts its own heartbeat;</li>
 *   <li>becomes the owner of the {@code health} kind;</li>
 *   <li>reads the last few seconds of heartbeats (so a restarted monitor knows at once who is alive),
 *       then follows the topic;</li>
 *   <li>publishes the health report as soon as a status in it changes, else every {@link #PUBLISH_EVERY}
 *       (so readers can tell a live monitor from a dead one), and reports itself UP after
 *       {@link #WARM_UP};</li>
 *   <li>owns webhooks and their deliveries, serves {@code lattice.requests.monitor} (webhook
 *       commands) and sends matching events to them ({@link WebhookDispatcher}).</li>
 * </ol>
 */
public final class MonitorMain implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MonitorMain.class);
    /**
     * Each report is a transactional write that every health view follows: on an idle platform it
     * was the busiest record (twice a second). Changes go out at once; this is only the keep-alive.
     */
    public static final Duration PUBLISH_EVERY = Duration.ofSeconds(2);
    private static final Duration LOOK_BACK = HealthTracker.DEFAULT_SILENCE.plusMillis(500);
    /**
     * A fresh monitor cannot vouch for anyone until it has read the {@link #LOOK_BACK} window (which
     * covers the silence limit, so every live process's last beat is in it): one or two polls, well
     * inside this. It calls itself STARTING (and the platform DEGRADED) until then.
     */
    static final Duration WARM_UP = Duration.ofMillis(1500);

    private final Bus bus;
    private final HealthTracker tracker;
    private final StateOwner<HealthReport> health;
    private final HeartbeatPublisher self;
    private final long warmUntil;
    private long nextPublish;
    private boolean announced;
    private String published = "";
    private final Map<String, String> lastStatus = new java.util.HashMap<>();
    /** Services told DOWN and not yet back UP (a return passes through STARTING, so "before" alone misses it). */
    private final java.util.Set<String> toldDown = new java.util.HashSet<>();
    private final Events events;

    private MonitorMain(Bus bus, HealthTracker tracker, StateOwner<HealthReport> health, HeartbeatPublisher self) {
        this.bus = bus;
        this.tracker = tracker;
        this.health = health;
        this.self = self;
        this.warmUntil = bus.clock().millis() + WARM_UP.toMillis();
        this.events = Events.of(bus);
    }

    public static MonitorMain start(Bus bus, List<String> expected) {
        try {
            HeartbeatPublisher self = bus.heartbeat();
            StateOwner<HealthReport> health = bus.own(HealthReport.KIND, HealthReport.class, Duration.ofSeconds(60));
            HealthTracker tracker = new HealthTracker(expected, HealthTracker.DEFAULT_SILENCE, bus.clock());
            MonitorMain monitor = new MonitorMain(bus, tracker, health, self);
            StateOwner<Webhook> hooks = bus.own(Webhook.KIND, Webhook.class, Duration.ofSeconds(60));
            StateOwner<WebhookDelivery> deliveries = bus.own(WebhookDelivery.KIND, WebhookDelivery.class, Duration.ofSeconds(60));
            WebhookDispatcher.start(bus, hooks, deliveries);
            bus.serve(new WebhookCommands(hooks, bus.clock()).handlers(), VerifiedCaller.follow(bus));
            // The follower's thread is the monitor's loop: heartbeats in, and after every poll
            // (at least every 500 ms) the report out when it is due. A heartbeat wakes the poll at once,
            // so the tick only bounds how late a silence is noticed (0.5 s on a 7.5 s silence limit);
            // at 100 ms this loop was the monitor's largest idle cost (PERFORMANCE.md, issue 12).
            // If it breaks, the process exits.
            bus.follow(Topics.HEARTBEATS, From.within(LOOK_BACK), Duration.ofMillis(500), new Follower.Listener() {
                @Override
                public void record(BusRecord r) {
                    monitor.heard(r);
                }

                @Override
                public void polled(Map<Integer, Long> positions) {
                    monitor.tick();
                }
            });
            return monitor;
        } catch (RuntimeException e) {
            bus.close();
            throw e;
        }
    }

    public static MonitorMain start(Bus bus) {
        return start(bus, PlatformServices.ALL);
    }

    private void heard(BusRecord r) {
        try {
            tracker.record(Json.read(r.value(), Heartbeat.class));
        } catch (RuntimeException e) {
            log.warn("unreadable heartbeat at offset {}", r.offset());
        }
    }

    private void tick() {
        long now = bus.clock().millis();
        HealthReport report = tracker.report();
        String statuses = statuses(report);
        if (now < nextPublish && statuses.equals(published)) return;
        if (!announced && now >= warmUntil) {
            self.status(Heartbeat.Status.UP);
            announced = true;
        }
        publish(report);
        if (announced) tellChanges(report);
        published = statuses;
        nextPublish = now + PUBLISH_EVERY.toMillis();
    }

    /**
     * Events (so webhooks) for a service that goes DOWN after it was UP, and for its return. Only once
     * this monitor has vouched for everyone: a fresh monitor's first report is not news.
     */
    private void tellChanges(HealthReport report) {
        for (var service : report.services()) {
            String before = lastStatus.put(service.name(), service.status());
            if (before == null) continue;
            if (service.status().equals("DOWN") && !before.equals("DOWN") && toldDown.add(service.name())) {
                events.publish("service-down", "service/" + service.name(), "no live instance (was " + before + ")");
            } else if (service.status().equals("UP") && toldDown.remove(service.name())) {
                events.publish("service-up", "service/" + service.name(), "back UP");
            }
        }
    }

    /** What a report says, without its times: a change here is news worth publishing at once. */
    static String statuses(HealthReport report) {
        StringBuilder b = new StringBuilder(report.status());
        for (var service : report.services()) {
            b.append('|').append(service.name()).append('=').append(service.status());
            for (var i : service.instances()) b.append(',').append(i.instance()).append('@').append(i.node()).append('=').append(i.status());
        }
        return b.toString();
    }

    private void publish(HealthReport report) {
        try {
            long version = health.view().get(HealthReport.NAME).map(v -> v.version()).orElse(0L);
            if (version == 0) health.create(HealthReport.NAME, report, "monitor");
            else health.update(HealthReport.NAME, version, report, "monitor");
        } catch (RuntimeException e) {
            log.warn("cannot publish the health report: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        bus.close();
    }
}
