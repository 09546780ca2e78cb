package dev.lattice.api.sensors;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * ISO-8601 times of readings. Devices nearly always send the UTC form ({@code 2026-11-25T12:00:00.123Z});
 * that one is read by hand, because {@link Instant#parse} was a tenth of the sensors service's time
 * at 30,000 readings/s (bench/ingest profile). Anything else goes through the JDK's parsers.
 */
final class Timestamps {
    private Timestamps() {}

    /** The instant, or a {@link DateTimeParseException} for text that is not an ISO-8601 time with an offset. */
    static Instant parse(String s) {
        Instant fast = utc(s);
        if (fast != null) return fast;
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            return OffsetDateTime.parse(s).toInstant();
        }
    }

    /** {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z}, or null for any other shape (left to the JDK). */
    static Instant utc(String s) {
        int n = s.length();
        if (n < 20 || n > 30 || s.charAt(n - 1) != 'Z' || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T'
                || s.charAt(13) != ':' || s.charAt(16) != ':') {
            return null;
        }
        int nanos = 0;
        if (n > 20) {
            if (s.charAt(19) != '.' || n == 21) return null;
            int digits = n - 21;
            for (int i = 20; i < n - 1; i++) {
                int d = digit(s, i);
                if (d < 0) return null;
                nanos = nanos * 10 + d;
            }
            for (int i = digits; i < 9; i++) nanos *= 10;
        }
        int year = number(s, 0, 4);
        int month = number(s, 5, 7);
        int day = number(s, 8, 10);
        int hour = number(s, 11, 13);
        int minute = number(s, 14, 16);
        int second = number(s, 17, 19);
        if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) return null;
        try {
            return Instant.ofEpochSecond(LocalDateTime.of(year, month, day, hour, minute, second).toEpochSecond(ZoneOffset.UTC), nanos);
        } catch (DateTimeException e) {
            return null; // e.g. 2026-02-30: let the JDK say what is wrong
        }
    }

    private static int number(String s, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            int d = digit(s, i);
            if (d < 0) return -1;
            v = v * 10 + d;
        }
        return v;
    }

    private static int digit(String s, int i) {
        char c = s.charAt(i);
        return c >= '0' && c <= '9' ? c - '0' : -1;
    }
}
