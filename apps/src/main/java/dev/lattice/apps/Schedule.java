package dev.lattice.apps;

import java.time.Instant;

/**
 * When an app instance runs: repeatedly by a Quartz-style {@code cron} (with seconds) or once
 * {@code at} a time, optionally only within {@code start..end} and stopped after
 * {@code durationSeconds}. Immutable. The cron's fields are counted here, not interpreted: the
 * scheduler that runs it owns their meaning.
 *
 * @throws dev.lattice.core.LatticeException 400 naming the field ({@code end: ...}) on a bad value
 */
public record Schedule(String cron, Instant at, Instant start, Instant end, Long durationSeconds) {
    public Schedule {
        if (cron == null && at == null) throw Located.bad("schedule", "cron: is required unless 'at' is given");
        if (cron != null && at != null) throw Located.bad("schedule", "at: not together with 'cron' (one or the other)");
        if (cron != null) requireCron(cron);
        if (start != null && end != null && !start.isBefore(end))
            throw Located.bad("schedule", "end: " + end + " is not after start " + start);
        if (durationSeconds != null && durationSeconds <= 0)
            throw Located.bad("schedule", "durationSeconds: more than 0, not " + durationSeconds);
    }

    private static void requireCron(String cron) {
        if (cron.isBlank()) throw Located.bad("schedule", "cron: is empty");
        // Quartz: seconds minutes hours day-of-month month day-of-week [year].
        int fields = cron.trim().split("\\s+").length;
        if (fields < 6 || fields > 7)
            throw Located.bad("schedule", "cron: 6 or 7 fields (seconds first, Quartz style), not " + fields + " in '" + cron + "'");
    }
}
