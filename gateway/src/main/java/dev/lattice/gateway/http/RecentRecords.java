package dev.lattice.gateway.http;

import dev.lattice.bus.Bus;
import dev.lattice.bus.feed.BusRecord;
import dev.lattice.bus.feed.Follower;
import dev.lattice.bus.feed.From;
import dev.lattice.core.Json;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The newest {@code keep} records of a single-partition topic (events, the audit log), decoded,
 * in memory for a listing route, and each new one passed to subscribers (an SSE stream). At start
 * it reads back the topic's last {@code keep} records, so a restarted gateway lists the same.
 * A record that does not decode is skipped. Thread-safe; the bus's {@link Follower} calls
 * {@link #apply} on one thread.
 */
public final class RecentRecords<T> implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RecentRecords.class);
    private final Class<T> type;
    private final int keep;
    private final ArrayDeque<T> newest = new ArrayDeque<>();
    private final List<Consumer<T>> listeners = new CopyOnWriteArrayList<>();
    private final Follower follower;

    public RecentRecords(Bus bus, String topic, Class<T> type, int keep) {
        this.type = type;
        this.keep = keep;
        this.follower = bus.follow(topic, From.last(keep), Duration.ofMillis(500), this::apply);
    }

    /** Newest first: those that pass {@code filter}, at most {@code limit}. */
    public List<T> newestFirst(Predicate<T> filter, int limit) {
        List<T> out = new ArrayList<>();
        synchronized (newest) {
            for (Iterator<T> it = newest.descendingIterator(); it.hasNext() && out.size() < limit; ) {
                T t = it.next();
                if (filter.test(t)) out.add(t);
            }
        }
        return out;
    }

    /** Tells {@code listener} of each new record until the returned action runs. */
    public Runnable subscribe(Consumer<T> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    private void apply(BusRecord r) {
        T t;
        try {
            t = Json.read(r.value(), type);
        } catch (RuntimeException bad) {
            return;
        }
        synchronized (newest) {
            newest.addLast(t);
            while (newest.size() > keep) newest.removeFirst();
        }
        for (var l : listeners) {
            try {
                l.accept(t);
            } catch (RuntimeException failed) {
                // one subscriber's problem (a closed stream), not the feed's
                log.debug("a listener of {} failed: {}", type.getSimpleName(), failed.toString());
            }
        }
    }

    @Override
    public void close() {
        follower.close();
    }
}
