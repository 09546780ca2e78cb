package dev.lattice.bus.feed;

import java.time.Duration;

/**
 * A topic that services append to and follow (not a state kind): records are kept for
 * {@code retention}, then deleted; keys spread over {@code partitions}. Created with {@code Bus.ensure}.
 */
public record StreamTopic(String name, int partitions, Duration retention) {
    public StreamTopic {
        if (partitions < 1) throw new IllegalArgumentException("a topic needs at least one partition: " + name);
    }
}
