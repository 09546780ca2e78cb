package dev.lattice.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * bench/deploy's figures, collected while it runs and printed together at the end (also after
 * a failure, with what was measured by then), each with its target where the issue sets one.
 */
final class Report {
    private final List<String> lines = new ArrayList<>();
    /** request -> RUNNING {p50, p99, max}: the baseline's overhead is computed against it. */
    double[] deploy;

    synchronized void header(String s) {
        lines.add(s);
    }

    synchronized void section(String title) {
        lines.add(title);
    }

    synchronized void line(String s) {
        lines.add(s);
    }

    /** {p50, p99, max} in ms, with the target for the p99 if there is one. */
    synchronized void figure(String what, double[] p, Double targetMs) {
        String target = targetMs == null ? ""
                : String.format("   target p99 <= %.1f s: %s", targetMs / 1000, p[1] <= targetMs ? "met" : "NOT MET");
        lines.add(String.format("  %-52s p50 %7.0f ms  p99 %7.0f ms  max %7.0f ms%s", what, p[0], p[1], p[2], target));
    }

    /** {p50, p99, max} in ms of a few trials, judged by the worst one (a p99 of ten samples means nothing). */
    synchronized void figureMax(String what, double[] p, double targetMs) {
        lines.add(String.format("  %-52s p50 %7.0f ms  max %7.0f ms   target max <= %.1f s: %s", what, p[0], p[2],
                targetMs / 1000, p[2] <= targetMs ? "met" : "NOT MET"));
    }

    private boolean printed;

    /** Prints the figures once: at the end, or from the shutdown hook when the run is interrupted. */
    synchronized void print(String runtime) {
        if (printed) return;
        printed = true;
        System.out.println();
        lines.forEach(System.out::println);
        System.out.printf("  targets: deploy p99 <= %s; restart <= 3 s; node lost -> workloads RUNNING elsewhere <= 15 s%n",
                runtime.equals("docker") ? "3 s (docker)" : "1.5 s (process)");
    }

    /** The 1-, 5- and 15-minute load averages, as uptime prints them. */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (Exception e) {
            return "unknown";
        }
    }

    /**
     * Consecutive steps of many timed operations, from the services' event timestamps: each
     * operation gives its start and the instant each step ended (empty when its event was not
     * seen, which drops that step and the next for that operation).
     */
    static final class Stages {
        private final List<String> names;
        private final List<List<Long>> micros = new ArrayList<>();
        private int incomplete;

        Stages(String... names) {
            this.names = List.of(names);
            for (int i = 0; i < names.length; i++) micros.add(new ArrayList<>());
        }

        void add(Instant start, List<Optional<Instant>> ends) {
            Instant from = start;
            boolean whole = true;
            for (int i = 0; i < ends.size(); i++) {
                Optional<Instant> end = ends.get(i);
                if (end.isEmpty() || from == null) {
                    whole = false;
                    from = end.orElse(null);
                    continue;
                }
                micros.get(i).add(Duration.between(from, end.get()).toNanos() / 1000);
                from = end.get();
            }
            if (!whole) incomplete++;
        }

        void report(Report r, String title) {
            r.line("  " + title + (incomplete > 0 ? " (" + incomplete + " operation(s) with an event missing)" : "") + ":");
            for (int i = 0; i < names.size(); i++) {
                long[] l = micros.get(i).stream().mapToLong(Long::longValue).toArray();
                double[] p = Tally.percentiles(l);
                r.line(String.format("    %-52s p50 %7.0f ms  p99 %7.0f ms  (%d samples)", names.get(i), p[0], p[1], l.length));
            }
        }
    }
}
