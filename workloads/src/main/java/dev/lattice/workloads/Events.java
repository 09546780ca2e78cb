package dev.lattice.workloads;

import dev.lattice.bus.Bus;
import dev.lattice.bus.feed.StreamTopic;
import dev.lattice.bus.feed.Writer;
import dev.lattice.core.Json;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The platform's event log: one topic, one partition (so "newest first" is one order), kept a
 * week. Any service appends; the gateway serves it. Events are for people: a lost one is a gap
 * in a feed, never a lost decision, so they are sent without waiting.
 */
public final class Events {
    public static final String TOPIC = "lattice.events";
    public static final Duration RETENTION = Duration.ofDays(7);
    public static final StreamTopic STREAM = new StreamTopic(TOPIC, 1, RETENTION);
    private static final Logger log = LoggerFactory.getLogger(Events.class);

    private final Writer writer;
    private final Clock clock;

    private Events(Writer writer, Clock clock) {
        this.writer = writer;
        this.clock = clock;
    }

    /** The event log of this process: makes sure the topic exists, then appends through the bus's shared writer. */
    public static Events of(Bus bus) {
        bus.ensure(STREAM);
        return new Events(bus.writer(), bus.clock());
    }

    /** Appends an event, e.g. {@code ("restarted", "workload/web-1a2b3c", "exit code 137; restart 2")}. */
    public void publish(String kind, String subject, String message) {
        Event e = new Event(clock.instant(), kind, subject, message);
        log.info("event {} {}: {}", kind, subject, message);
        writer.fire(TOPIC, subject, Json.bytes(e), null);
    }
}
