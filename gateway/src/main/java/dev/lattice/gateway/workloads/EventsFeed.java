package dev.lattice.gateway.workloads;

import dev.lattice.bus.Bus;
import dev.lattice.bus.feed.BusRecord;
import dev.lattice.bus.feed.Follower;
import dev.lattice.bus.feed.From;
import dev.lattice.core.Json;
import dev.lattice.workloads.Event;
import dev.lattice.workloads.Events;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows {@code lattice.events}, keeping the newest {@code keep} in memory for
 * {@code GET /api/v1/events} and passing new ones to SSE subscribers. At start it reads back the
 * last {@code keep} records of the (single-partition) topic, so a restarted gateway shows the
 * same feed. Thread-safe; the bus's {@link Follower} calls it on one thread.
 */
final class EventsFeed implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EventsFeed.class);
    private final int keep;
    private final ArrayDeque<Event> newest = new ArrayDeque<>();
    private final List<Consumer<Event>> listeners = new CopyOnWriteArrayList<>();
    private final Follower follower;

    EventsFeed(Bus bus, int keep) {
        this.keep = keep;
        this.follower = bus.follow(Events.TOPIC, From.last(keep), Duration.ofMillis(500), this::apply);
    }

    /** Newest first. */
    List<Event> newestFirst() {
        List<Event> out;
        synchronized (newest) {
            out = new ArrayList<>(newest);
        }
        Collections.reverse(out);
        return out;
    }

    Runnable subscribe(Consumer<Event> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    private void apply(BusRecord r) {
        Event e;
        try {
            e = Json.read(r.value(), Event.class);
        } catch (RuntimeException bad) {
            return;
        }
        synchronized (newest) {
            newest.addLast(e);
            while (newest.size() > keep) newest.removeFirst();
        }
        for (var l : listeners) {
            try {
                l.accept(e);
            } catch (RuntimeException failed) {
                // one subscriber's problem (a closed stream), not the feed's
                log.debug("an events listener failed: {}", failed.toString());
            }
        }
    }

    @Override
    public void close() {
        follower.close();
    }
}
