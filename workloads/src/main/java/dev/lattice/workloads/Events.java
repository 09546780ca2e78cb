package dev.lattice.workloads;

import dev.lattice.bus.Topics;
import dev.lattice.core.Json;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
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
    private static final Logger log = LoggerFactory.getLogger(Events.class);

    private final KafkaProducer<String, byte[]> producer;
    private final Clock clock;

    public Events(KafkaProducer<String, byte[]> producer, Clock clock) {
        this.producer = producer;
        this.clock = clock;
    }

    public static void ensureTopic(Admin admin) {
        Topics.ensure(admin, List.of(Topics.shortLived(TOPIC, RETENTION.toMillis())));
    }

    /** Appends an event, e.g. {@code ("restarted", "workload/web-1a2b3c", "exit code 137; restart 2")}. */
    public void publish(String kind, String subject, String message) {
        Event e = new Event(clock.instant(), kind, subject, message);
        log.info("event {} {}: {}", kind, subject, message);
        producer.send(new ProducerRecord<>(TOPIC, subject, Json.bytes(e)));
    }
}
