package dev.lattice.agent.runtime.docker;

import dev.lattice.agent.runtime.RunningWorkload.Usage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * CPU and memory of a container on this machine, read from its cgroup files: a few file reads, where
 * the engine's one-shot stats call waits a whole sampling cycle (~1 s). Handles cgroup v1 (separate
 * or joint {@code cpu,cpuacct} hierarchies) and v2, with the cgroupfs and systemd drivers, by reading
 * the container's own {@code /proc/PID/cgroup} first. Thread-safe.
 */
final class CgroupUsage implements UsageProbe {
    private static final Path ROOT = Path.of("/sys/fs/cgroup");

    /** Where the files are, found on first use (the container's main process must be alive then). */
    private record Dirs(Path cpu, boolean cpuV2, Path memory, boolean memoryV2) {}

    private final String containerId;
    private final long pid;
    private volatile Dirs dirs;

    CgroupUsage(String containerId, long pid) {
        this.containerId = containerId;
        this.pid = pid;
    }

    @Override
    public Usage read() {
        Dirs d = dirs();
        if (d == null) return Usage.NONE;
        return new Usage(cpuNanos(d), memoryBytes(d));
    }

    /** The pids of every process in the container (to wake them before a stop), or empty. */
    List<Long> pids() {
        Dirs d = dirs();
        List<Long> pids = new ArrayList<>();
        if (d == null) return pids;
        try {
            for (String line : Files.readAllLines(d.memory().resolve("cgroup.procs"))) {
                if (!line.isBlank()) pids.add(Long.parseLong(line.strip()));
            }
        } catch (IOException | NumberFormatException gone) {
            // the container ended
        }
        return pids;
    }

    private static long cpuNanos(Dirs d) {
        try {
            if (!d.cpuV2()) return Long.parseLong(Files.readString(d.cpu().resolve("cpuacct.usage")).strip());
            return stat(d.cpu().resolve("cpu.stat"), "usage_usec") * 1000;
        } catch (IOException | NumberFormatException gone) {
            return 0;
        }
    }

    /**
     * Resident memory like a process's RSS: anonymous memory plus mapped files (the JDK's libraries
     * and jars), not the page cache the container merely caused (reads of its data files).
     */
    private static long memoryBytes(Dirs d) {
        Path stat = d.memory().resolve("memory.stat");
        return d.memoryV2() ? stat(stat, "anon") + stat(stat, "file_mapped")
                : stat(stat, "total_rss") + stat(stat, "total_mapped_file");
    }

    private static long stat(Path file, String key) {
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith(key + " ")) return Long.parseLong(line.substring(key.length() + 1).strip());
            }
        } catch (IOException | NumberFormatException gone) {
            // the container ended
        }
        return 0;
    }

    private Dirs dirs() {
        Dirs d = dirs;
        if (d == null && pid > 0) dirs = d = find();
        return d;
    }

    /** The container's cgroup folders: from /proc/PID/cgroup, else where Docker's two drivers put them. */
    private Dirs find() {
        Path cpu = null, memory = null, unified = null;
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "cgroup"))) {
                String[] f = line.split(":", 3); // hierarchy id : controllers : path
                if (f.length < 3) continue;
                String rel = f[2].startsWith("/") ? f[2].substring(1) : f[2];
                if (f[1].isEmpty()) unified = existing(ROOT.resolve(rel), ROOT.resolve("unified").resolve(rel));
                for (String controller : f[1].split(",")) {
                    if (controller.equals("cpuacct")) cpu = existing(ROOT.resolve(f[1]).resolve(rel));
                    if (controller.equals("memory")) memory = existing(ROOT.resolve(f[1]).resolve(rel));
                }
            }
        } catch (IOException gone) {
            return null;
        }
        if (cpu == null) cpu = existing(ROOT.resolve("cpuacct/docker").resolve(containerId), ROOT.resolve("cpu,cpuacct/docker").resolve(containerId));
        if (memory == null) memory = existing(ROOT.resolve("memory/docker").resolve(containerId));
        if (unified == null || !Files.exists(unified.resolve("memory.stat")))
            unified = existing(ROOT.resolve("system.slice/docker-" + containerId + ".scope"), ROOT.resolve("docker").resolve(containerId));
        if (cpu != null && memory != null) return new Dirs(cpu, false, memory, false);
        if (unified != null && Files.exists(unified.resolve("memory.stat"))) return new Dirs(unified, true, unified, true);
        return null;
    }

    private static Path existing(Path... candidates) {
        for (Path p : candidates) if (Files.isDirectory(p)) return p;
        return null;
    }
}
