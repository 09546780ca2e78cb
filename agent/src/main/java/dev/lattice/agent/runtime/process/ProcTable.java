package dev.lattice.agent.runtime.process;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One read of {@code /proc}: each process's parent, CPU time and resident memory. The agent
 * measures all its workloads from one such read a second; asking each workload for its
 * descendants would walk {@code /proc} once per workload (with a hundred workloads, most of an
 * agent's CPU). Reads at most once per {@link #MAX_AGE_NANOS}; thread-safe.
 */
final class ProcTable {
    /** Linux reports CPU times in clock ticks: 100 a second on every mainstream kernel config. */
    private static final long NANOS_PER_TICK = 10_000_000L;
    private static final long PAGE_BYTES = 4096;
    private static final long MAX_AGE_NANOS = 500_000_000L;

    private record Proc(long ppid, long cpuNanos, long rssBytes) {}

    private static Map<Long, Proc> procs = Map.of();
    private static Map<Long, List<Long>> children = Map.of();
    private static long readAt;

    private ProcTable() {}

    /** CPU time and resident memory of {@code pid} and all its descendants. */
    static synchronized long[] usageOfTree(long pid) {
        if (System.nanoTime() - readAt > MAX_AGE_NANOS) read();
        long cpu = 0;
        long rss = 0;
        List<Long> todo = new ArrayList<>(List.of(pid));
        for (int i = 0; i < todo.size() && i < 10_000; i++) {
            Proc p = procs.get(todo.get(i));
            if (p == null) continue;
            cpu += p.cpuNanos();
            rss += p.rssBytes();
            todo.addAll(children.getOrDefault(todo.get(i), List.of()));
        }
        return new long[] {cpu, rss};
    }

    private static void read() {
        Map<Long, Proc> all = new HashMap<>();
        Map<Long, List<Long>> kids = new HashMap<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path dir : dirs) {
                try {
                    String stat = Files.readString(dir.resolve("stat"));
                    // Fields after the command name, which is in parentheses and may contain spaces.
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long pid = Long.parseLong(dir.getFileName().toString());
                    long ppid = Long.parseLong(f[1]);
                    all.put(pid, new Proc(ppid, (Long.parseLong(f[11]) + Long.parseLong(f[12])) * NANOS_PER_TICK,
                            Long.parseLong(f[21]) * PAGE_BYTES));
                    kids.computeIfAbsent(ppid, k -> new ArrayList<>()).add(pid);
                } catch (IOException | RuntimeException gone) {
                    // the process ended while we looked
                }
            }
        } catch (IOException e) {
            // no /proc: not Linux; usage stays zero
        }
        procs = all;
        children = kids;
        readAt = System.nanoTime();
    }
}
