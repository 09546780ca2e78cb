package dev.lattice.api.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lattice.core.LatticeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Set;

/**
 * When an app instance runs (API.md "Applications", {@code schedule}): either repeatedly on a Quartz
 * {@code cron} with seconds or once {@code at} an instant, only inside the optional window
 * [{@code start}, {@code end}), each run stopped after the optional {@code durationSeconds}.
 *
 * <p>Without a duration a run lasts until the app ends by itself (or the window ends). The compact
 * constructor enforces the rules, so a {@code Schedule} read back from Kafka is as valid as one just
 * parsed; {@link #parse(JsonNode)} is for user input and reports each mistake as a 400 naming the
 * field. Immutable and thread-safe.
 *
 * @param cron            the repeating form; null when {@code at} is given
 * @param at              the one-off form; null when {@code cron} is given
 * @param start           no run starts before it (inclusive); null for no lower bound
 * @param end             no run starts at or after it, and a run still going then is stopped; null for none
 * @param durationSeconds how long each run may last, positive; null for as long as the app runs
 */
public record Schedule(CronExpression cron, Instant at, Instant start, Instant end, Integer durationSeconds) {
    private static final Set<String> FIELDS = Set.of("cron", "at", "start", "end", "durationSeconds");

    /** @throws LatticeException 400 when both or neither of cron/at are given, start is not before end, or the duration is not positive */
    public Schedule {
        if ((cron == null) == (at == null)) {
            throw LatticeException.badRequest("scheduler:schedule.kind", "schedule: give exactly one of 'cron' and 'at'");
        }
        if (start != null && end != null && !start.isBefore(end)) {
            throw LatticeException.badRequest("scheduler:schedule.window", "schedule.end: must be after schedule.start");
        }
        if (durationSeconds != null && durationSeconds <= 0) {
            throw LatticeException.badRequest("scheduler:schedule.duration", "schedule.durationSeconds: must be a positive whole number");
        }
    }

    public static Schedule cron(String expression) {
        return new Schedule(CronExpression.parse(expression), null, null, null, null);
    }

    public static Schedule at(Instant at) {
        return new Schedule(null, at, null, null, null);
    }

    public Schedule withWindow(Instant start, Instant end) {
        return new Schedule(cron, at, start, end, durationSeconds);
    }

    public Schedule withDurationSeconds(Integer seconds) {
        return new Schedule(cron, at, start, end, seconds);
    }

    /**
     * Reads a schedule as a user wrote it (JSON object, times ISO-8601 with a zone offset).
     *
     * @throws LatticeException 400 naming the first bad field ({@code schedule.cron: ...}); unknown fields are
     *                          rejected too, since a misspelt {@code end} would otherwise run forever
     */
    public static Schedule parse(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw LatticeException.badRequest("scheduler:schedule.kind", "schedule: must be an object with 'cron' or 'at'");
        }
        node.fieldNames().forEachRemaining(name -> {
            if (!FIELDS.contains(name)) {
                throw LatticeException.badRequest("scheduler:schedule.field", "schedule." + name
                        + ": unknown field (expected cron, at, start, end, durationSeconds)");
            }
        });
        String cronText = text(node, "cron");
        return new Schedule(cronText == null ? null : CronExpression.parse(cronText, "schedule.cron"),
                instant(node, "at"), instant(node, "start"), instant(node, "end"), seconds(node));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) return null;
        if (!value.isTextual()) throw LatticeException.badRequest(code(field), "schedule." + field + ": must be a string");
        return value.asText();
    }

    private static Instant instant(JsonNode node, String field) {
        String value = text(node, field);
        if (value == null) return null;
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw LatticeException.badRequest(code(field), "schedule." + field
                    + ": must be an ISO-8601 time with a zone offset, e.g. 2030-01-01T08:00:00Z (got '" + value + "')");
        }
    }

    private static Integer seconds(JsonNode node) {
        JsonNode value = node.get("durationSeconds");
        if (value == null || value.isNull()) return null;
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw LatticeException.badRequest("scheduler:schedule.duration", "schedule.durationSeconds: must be a positive whole number");
        }
        return value.intValue();
    }

    private static String code(String field) {
        return switch (field) {
            case "start", "end" -> "scheduler:schedule.window";
            default -> "scheduler:schedule." + field;
        };
    }

    /** Whether {@code t} lies in the window: at or after {@code start}, before {@code end}. */
    public boolean inWindow(Instant t) {
        return (start == null || !t.isBefore(start)) && (end == null || t.isBefore(end));
    }

    /** Whether the window is over at {@code t}: nothing may start, and a run still going must stop. */
    public boolean windowEndedBy(Instant t) {
        return end != null && !t.isBefore(end);
    }
}
