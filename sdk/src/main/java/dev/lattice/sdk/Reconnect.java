package dev.lattice.sdk;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How a subscription keeps its event stream: the wait before reconnecting doubles from
 * {@code firstDelay} up to {@code maxDelay} (plus up to a quarter of random jitter, so that many
 * apps do not reconnect in step); a stream silent for {@code idleTimeout} — the gateway sends a
 * comment every 15 s — is taken as dead and reopened. Immutable.
 */
record Reconnect(Duration firstDelay, Duration maxDelay, Duration idleTimeout) {
    static final Reconnect DEFAULT = new Reconnect(Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofSeconds(45));

    Reconnect {
        if (firstDelay.isNegative() || firstDelay.isZero() || maxDelay.compareTo(firstDelay) < 0 || idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("reconnect: need 0 < firstDelay <= maxDelay and idleTimeout > 0");
        }
    }

    /** The wait before attempt {@code attempt} (1 for the first reconnect). */
    Duration delay(int attempt) {
        long first = firstDelay.toMillis();
        long max = maxDelay.toMillis();
        long millis = attempt >= 31 ? max : Math.min(max, first << Math.max(0, attempt - 1));
        return Duration.ofMillis(millis + ThreadLocalRandom.current().nextLong(millis / 4 + 1));
    }
}
