package dev.lattice.agent.runtime.process;

import dev.lattice.agent.runtime.RunningWorkload;
import dev.lattice.agent.runtime.sandbox.WorkloadCgroup;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One workload process (and whatever it forked), started or adopted by the {@link ProcessRuntime}.
 * A sandboxed one has a cgroup: its OOM count says how it ended, and its member list reaches
 * every process of the workload, however it forked.
 */
final class ProcessRun implements RunningWorkload {
    private final ProcessHandle process;
    private final CompletableFuture<Integer> exit;
    private final boolean ownGroup;
    private final String handle;
    private final WorkloadCgroup cgroup;
    private volatile boolean oomKilled;

    ProcessRun(ProcessHandle process, CompletableFuture<Integer> exit, boolean ownGroup, WorkloadCgroup cgroup) {
        this.process = process;
        this.ownGroup = ownGroup;
        this.handle = ProcessRuntime.handleOf(process);
        this.cgroup = cgroup;
        // Read how it ended before the cgroup goes; whatever is left of it (nothing, normally: the
        // sandbox's pid namespace dies with its first process) is killed, then the group removed.
        this.exit = cgroup == null ? exit : exit.thenApply(code -> {
            oomKilled = cgroup.oomKills() > 0;
            cgroup.killAll();
            cgroup.delete();
            return code;
        });
    }

    @Override
    public boolean oomKilled() {
        return oomKilled;
    }

    /** The live process a handle names, if its start time still matches (pids are recycled). */
    static Optional<ProcessHandle> parse(String handle) {
        String[] parts = handle == null ? new String[0] : handle.split(":");
        if (parts.length != 3 || !parts[0].equals("pid")) return Optional.empty();
        try {
            long pid = Long.parseLong(parts[1]);
            long started = Long.parseLong(parts[2]);
            return ProcessHandle.of(pid).filter(h -> h.info().startInstant().map(Instant::toEpochMilli)
                    .map(s -> Math.abs(s - started) < 1000).orElse(false));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    @Override
    public String handle() {
        return handle;
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public CompletableFuture<Integer> exit() {
        return exit;
    }

    @Override
    public void stop(Duration grace) {
        if (!process.isAlive()) return;
        if (cgroup != null) {
            stopConfined(grace);
            return;
        }
        // In its own process group (setsid) one signal reaches the workload and all it forked;
        // walking its descendants (all of /proc) is only needed without one.
        List<ProcessHandle> family = ownGroup ? List.of(process) : Stream.concat(Stream.of(process), process.descendants()).toList();
        signal("TERM");
        family.forEach(ProcessHandle::destroy);
        // A SIGSTOPped process cannot act on SIGTERM: wake it so it can stop cleanly.
        signal("CONT");
        try {
            process.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception timedOut) {
            signal("KILL");
            family.forEach(ProcessHandle::destroyForcibly);
            try {
                process.onExit().get(5, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // reported as still alive by the next usage pass; nothing more can be done
            }
        }
        if (ownGroup) signal("KILL"); // whatever of the group outlived its leader
        family.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    /**
     * SIGTERM to the workload's own processes, not to bubblewrap around them: bwrap does not pass
     * signals on, and its death would SIGKILL the sandbox at once. After the grace, all of the
     * cgroup is killed at once (a fork bomb included).
     */
    private void stopConfined(Duration grace) {
        List<Long> wrappers = Stream.concat(Stream.of(process), process.children()).map(ProcessHandle::pid).toList();
        List<Long> own = cgroup.pids().stream().filter(p -> !wrappers.contains(p)).toList();
        WorkloadCgroup.signal(own, "TERM");
        WorkloadCgroup.signal(own, "CONT");
        try {
            exit.get(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception timedOut) {
            cgroup.killAll();
            try {
                exit.get(5, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // reported as still alive by the next usage pass
            }
        }
    }

    /** Signals the whole process group (its pid, thanks to setsid), which reaches children that left the tree. */
    private void signal(String sig) {
        if (!ownGroup) return;
        try {
            new ProcessBuilder("kill", "-" + sig, "--", "-" + process.pid()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(2, TimeUnit.SECONDS);
        } catch (IOException e) {
            // no kill(1): destroy() on each process still works
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public Usage usage() {
        long[] u = ProcTable.usageOfTree(process.pid());
        return new Usage(u[0], u[1]);
    }
}
