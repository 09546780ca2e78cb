package dev.lattice.bus.feed;

import java.time.Duration;

/** Where a {@link Follower} starts reading each partition of its topic. */
public sealed interface From {
    /** Only what is written from now on. */
    record End() implements From {}

    /** The newest {@code records} of each partition, then everything new (a feed that a restart must not empty). */
    record Last(long records) implements From {}

    /** Everything stored within {@code window} before the start, then everything new. */
    record Within(Duration window) implements From {}

    static From end() {
        return new End();
    }

    static From last(long records) {
        return new Last(records);
    }

    static From within(Duration window) {
        return new Within(window);
    }
}
