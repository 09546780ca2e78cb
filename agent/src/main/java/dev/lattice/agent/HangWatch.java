package dev.lattice.agent;

import dev.lattice.api.monitor.HealthReport;
import dev.lattice.core.PlatformServices;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which of this node's platform services hang: alive, but silent. A process that is stopped
 * ({@code kill -STOP}), deadlocked or starved sends no heartbeat yet never exits, so its supervisor,
 * which waits for an exit, would wait for ever. The monitor's health report says when each instance
 * was last heard: a local service last heard more than {@code hungAfter} ago hangs, and its agent
 * kills it (SIGKILL) so that it is restarted as after any crash. Silence is counted to now, not to
 * the report's time, so a kill is not late by the report's age: a live service looks at most a
 * heartbeat interval plus that age (~5 s) silent, well under the default 10 s.
 *
 * <p>The monitor is judged by its report instead: a report older than {@code hungAfter} while the
 * monitor runs here means the monitor hangs (and, while it does, nobody else is judged on its stale
 * figures). A run younger than {@link #START_GRACE} is left alone (a JVM on a busy machine takes a
 * while to send its first beat; a run last heard of before it began is silent since its start), and
 * so is an instance the report does not name, and everything before a first report.
 *
 * <p>Silence on the bus says something about a service only while the bus works: when Kafka loses
 * a broker, every heartbeat and the report stall together for ~10 s, and judging then would kill
 * every service at once (seen in MultiHostIT before this rule). So the agent watches its own writes
 * ({@link BusWatch}): while they do not get through nobody is judged, and silence is counted only
 * from when they got through again. The report's
 * times are compared with this agent's clock: hosts other than the monitor's are expected to keep
 * their clocks synchronised (NTP) to well under a second. Pure.
 */
final class HangWatch {
    /** How young a run is never called hung. */
    static final Duration START_GRACE = Duration.ofSeconds(30);

    /** One platform service run on this node: its workload, service, heartbeat instance, pid and when it started. */
    record Local(String workloadId, String service, String instance, long pid, Instant startedAt) {}

    /** A verdict: the run, and how long it has been silent. */
    record Hung(Local run, Duration silent) {}

    private HangWatch() {}

    /**
     * @param busWorksSince since when this agent's own writes get through without a break, or null
     *                      while they do not ({@link BusWatch#observe})
     */
    static List<Hung> hung(Optional<HealthReport> report, List<Local> local, Instant now, Duration hungAfter, Instant busWorksSince) {
        if (report.isEmpty() || busWorksSince == null) return List.of();
        HealthReport r = report.get();
        List<Hung> out = new ArrayList<>();
        Duration reportAge = Duration.between(latest(r.ts(), busWorksSince), now);
        if (reportAge.compareTo(hungAfter) > 0) {
            for (Local l : local) {
                if (l.service().equals(PlatformServices.MONITOR) && old(l, now)) out.add(new Hung(l, reportAge));
            }
            return out;
        }
        Map<String, Instant> lastSeen = new HashMap<>();
        for (var s : r.services()) for (var i : s.instances()) if (i.lastSeen() != null) lastSeen.put(i.instance(), i.lastSeen());
        for (Local l : local) {
            Instant seen = lastSeen.get(l.instance());
            if (seen == null || !old(l, now)) continue;
            // Last heard before this run began (its predecessor): the run is silent since its start.
            Duration silent = Duration.between(latest(latest(seen, l.startedAt()), busWorksSince), now);
            if (silent.compareTo(hungAfter) > 0) out.add(new Hung(l, silent));
        }
        return out;
    }

    private static Instant latest(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    /**
     * Whether the bus works, as this agent sees it: its own node report, put every second, was
     * acknowledged by Kafka within {@link #STALL}. Not thread-safe: one agent loop calls it.
     */
    static final class BusWatch {
        static final Duration STALL = Duration.ofSeconds(3);
        private Instant worksSince;

        /** Since when the bus works without a break (the first pass that saw it work), or null while it does not. */
        Instant observe(Optional<Instant> lastStored, Instant now) {
            boolean works = lastStored.isPresent() && Duration.between(lastStored.get(), now).compareTo(STALL) <= 0;
            if (!works) worksSince = null;
            else if (worksSince == null) worksSince = now;
            return worksSince;
        }
    }

    private static boolean old(Local l, Instant now) {
        return l.startedAt().plus(START_GRACE).isBefore(now);
    }
}
