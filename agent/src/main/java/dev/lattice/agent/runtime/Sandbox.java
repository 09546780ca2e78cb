package dev.lattice.agent.runtime;

import java.nio.file.Path;
import java.util.List;

/**
 * How a user's workload is confined (DESIGN "Trust boundaries"): it runs as an unprivileged
 * uid/gid of its own (no other running workload has it; never 0), with no capabilities and
 * {@code no_new_privs}, sees the system read-only and only its own folder writable, and the
 * kernel holds it to its limits. The platform's own services run without one ({@link Launch#sandbox()} null).
 *
 * @param uid       the workload's own user id (owns its folder)
 * @param gid       its group id (the same number: a group of its own)
 * @param memoryMb  memory limit in MiB: an overrun OOM-kills this workload only
 * @param cpus      CPU quota in cores (0: none)
 * @param pids      processes and threads it may have at once
 * @param hidden    host folders it must not see (the platform's data folder): replaced by empty ones
 * @param folder    its own folder, the only one it may write (null: the launch's work folder)
 */
public record Sandbox(int uid, int gid, long memoryMb, double cpus, int pids, List<Path> hidden, Path folder) {
    public Sandbox {
        if (uid <= 0 || gid <= 0) throw new IllegalArgumentException("a sandbox never runs as root: uid " + uid + ", gid " + gid);
        if (memoryMb <= 0 || pids <= 0) throw new IllegalArgumentException("a sandbox has limits: memoryMb " + memoryMb + ", pids " + pids);
        hidden = hidden == null ? List.of() : List.copyOf(hidden);
    }

    public Sandbox(int uid, int gid, long memoryMb, double cpus, int pids, List<Path> hidden) {
        this(uid, gid, memoryMb, cpus, pids, hidden, null);
    }
}
