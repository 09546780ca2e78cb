package dev.lattice.api.scheduler;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.lattice.core.LatticeException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * A Quartz-style cron expression with seconds ({@code sec min hour day-of-month month day-of-week [year]},
 * e.g. {@code *}{@code /10 * * * * ?}), parsed once and evaluated in UTC.
 *
 * <p>Kept as its own value type so a {@link Schedule} parses its expression once instead of on every
 * tick; it is written to JSON as the plain expression text. UTC because the platform has no notion of
 * a user's zone yet: {@code 0 0 8 * * ?} means 08:00 UTC. Immutable and thread-safe (cron-utils'
 * {@link ExecutionTime} keeps no mutable state).
 */
public final class CronExpression {
    private static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.QUARTZ));
    private final String text;
    private final ExecutionTime times;

    private CronExpression(String text, ExecutionTime times) {
        this.text = text;
        this.times = times;
    }

    /**
     * Parses {@code text}.
     *
     * @throws LatticeException 400 {@code scheduler:schedule.cron}, {@code schedule.cron: } and what is wrong
     */
    public static CronExpression parse(String text) {
        return parse(text, "schedule.cron");
    }

    /**
     * For Jackson: names only its own field, as {@code Json.parse} prefixes the path it was found at
     * ({@code schedule.cron: ...} when nested under {@code schedule}).
     */
    @JsonCreator
    static CronExpression fromJson(String text) {
        return parse(text, "cron");
    }

    static CronExpression parse(String text, String field) {
        if (text == null || text.isBlank()) {
            throw LatticeException.badRequest("scheduler:schedule.cron", field + ": must not be empty");
        }
        if (text.length() > 200) throw LatticeException.badRequest("scheduler:schedule.cron", field + ": at most 200 characters");
        try {
            var cron = PARSER.parse(text.trim()).validate();
            return new CronExpression(text.trim(), ExecutionTime.forCron(cron));
        } catch (IllegalArgumentException e) {
            throw LatticeException.badRequest("scheduler:schedule.cron", field + ": not a Quartz cron with seconds "
                    + "(sec min hour day-of-month month day-of-week [year], e.g. '*/10 * * * * ?'): " + e.getMessage());
        }
    }

    /** The first fire time strictly after {@code t}, or empty if the expression never fires again (a past year). */
    public Optional<Instant> nextAfter(Instant t) {
        return times.nextExecution(utc(t)).map(ZonedDateTime::toInstant);
    }

    /** The latest fire time at or before {@code t}, or empty if there is none. */
    public Optional<Instant> lastAtOrBefore(Instant t) {
        // cron-utils' lastExecution is strictly before its argument; fire times are whole seconds.
        return times.lastExecution(utc(t.plusNanos(1))).map(ZonedDateTime::toInstant);
    }

    private static ZonedDateTime utc(Instant t) {
        return t.atZone(ZoneOffset.UTC);
    }

    @JsonValue
    @Override
    public String toString() {
        return text;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CronExpression other && other.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }
}
