package dev.lattice.agent.runtime.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One workload's cgroup (on v1: one folder per controller). A process joins it by writing its
 * own pid to every {@link #procsFiles() cgroup.procs} before it execs the workload, so that not a
 * single instruction of the workload runs outside its limits.
 */
public interface WorkloadCgroup {

    /** The {@code cgroup.procs} files a process writes its pid to, to join. */
    List<Path> procsFiles();

    /** How many times the kernel OOM-killed a process of this cgroup. */
    long oomKills();

    /** The host pids in it now. */
    default List<Long> pids() {
        List<Long> pids = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(procsFiles().getFirst())) {
                if (!line.isBlank()) pids.add(Long.parseLong(line.trim()));
            }
        } catch (IOException | NumberFormatException e) {
            // gone: no processes
        }
        return pids;
    }

    /**
     * Kills every process in it at once, also a fork bomb that forks faster than it can be
     * killed one by one (v2: {@code cgroup.kill}; v1: freeze, kill each, thaw).
     */
    void killAll();

    /** Removes it, once it is empty; quietly does nothing if it is not. */
    void delete();

    /**
     * Removes a cgroup folder, waiting up to a second for killed processes to leave it (the
     * kernel refuses to remove a group that still has members); else the next create retries.
     */
    static void remove(Path dir) {
        for (int i = 0; i < 50 && Files.exists(dir); i++) {
            try {
                Files.deleteIfExists(dir);
                return;
            } catch (IOException stillLeaving) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Writes {@code value} to a cgroup file: the kernel's interface is plain text. */
    static void write(Path file, String value) throws IOException {
        Files.writeString(file, value);
    }

    /** The number after {@code key} in a flat keyed file such as {@code memory.events}; 0 if absent. */
    static long keyed(Path file, String key) {
        try {
            for (String line : Files.readAllLines(file)) {
                String[] kv = line.trim().split("\\s+");
                if (kv.length == 2 && kv[0].equals(key)) return Long.parseLong(kv[1]);
            }
        } catch (IOException | NumberFormatException e) {
            // gone or unreadable
        }
        return 0;
    }

    /** Sends {@code signal} to each pid (kill(1) by number: the JDK can only TERM or KILL a process it knows). */
    static void signal(List<Long> pids, String signal) {
        if (pids.isEmpty()) return;
        List<String> cmd = new ArrayList<>(List.of("kill", "-" + signal, "--"));
        pids.forEach(p -> cmd.add(Long.toString(p)));
        try {
            new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start()
                    .waitFor(2, java.util.concurrent.TimeUnit.SECONDS);
        } catch (IOException e) {
            pids.forEach(p -> ProcessHandle.of(p).ifPresent(h -> {
                if (signal.equals("KILL")) h.destroyForcibly();
                else h.destroy();
            }));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
