package dev.lattice.core;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;

/**
 * The one reader of {@code LATTICE_*} settings for config records: a blank value counts as unset,
 * and a bad one fails at start with the key, the value and what was expected, e.g.
 * {@code LATTICE_GATEWAY_PORT: 'eighty' is not a whole number}. Read each key once, into a record.
 */
public final class Env {
    private final Map<String, String> env;

    private Env(Map<String, String> env) {
        this.env = env;
    }

    public static Env of(Map<String, String> env) {
        return new Env(env);
    }

    /** The trimmed value, empty when unset or blank. */
    public Optional<String> string(String key) {
        String v = env.get(key);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
    }

    public String string(String key, String fallback) {
        return string(key).orElse(fallback);
    }

    public long number(String key, long fallback) {
        return string(key).map(v -> {
            try {
                return Long.parseLong(v);
            } catch (NumberFormatException e) {
                throw bad(key, v, "a whole number");
            }
        }).orElse(fallback);
    }

    public int port(String key, int fallback) {
        long p = number(key, fallback);
        if (p < 0 || p > 65535) throw bad(key, Long.toString(p), "a port (0 to 65535; 0 picks a free one)");
        return (int) p;
    }

    /** A whole number of seconds, more than zero. */
    public Duration seconds(String key, long fallbackSeconds) {
        long s = number(key, fallbackSeconds);
        if (s <= 0) throw bad(key, Long.toString(s), "a positive number of seconds");
        return Duration.ofSeconds(s);
    }

    /** A whole number of milliseconds, more than zero (the {@code _MS} settings). */
    public Duration millis(String key, long fallbackMs) {
        long ms = number(key, fallbackMs);
        if (ms <= 0) throw bad(key, Long.toString(ms), "a positive number of milliseconds");
        return Duration.ofMillis(ms);
    }

    /** An ISO-8601 duration such as {@code PT30S} or {@code P7D}, more than zero. */
    public Duration duration(String key, Duration fallback) {
        Duration d = string(key).map(v -> {
            try {
                return Duration.parse(v);
            } catch (DateTimeParseException e) {
                throw bad(key, v, "an ISO-8601 duration such as PT30S or P7D");
            }
        }).orElse(fallback);
        if (d.isNegative() || d.isZero()) throw bad(key, d.toString(), "a positive duration");
        return d;
    }

    private static IllegalArgumentException bad(String key, String value, String expected) {
        return new IllegalArgumentException(key + ": '" + value + "' is not " + expected);
    }
}
