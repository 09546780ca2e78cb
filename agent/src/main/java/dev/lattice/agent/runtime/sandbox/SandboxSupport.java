package dev.lattice.agent.runtime.sandbox;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Whether this host can confine workloads on the process runtime, and if not, what is missing
 * in words an operator can act on. Checked once when the agent starts.
 */
public record SandboxSupport(Optional<Cgroups> cgroups, List<String> missing) {

    public static SandboxSupport detect() {
        List<String> missing = new ArrayList<>();
        if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
            return new SandboxSupport(Optional.empty(), List.of("Linux (this is " + System.getProperty("os.name") + ")"));
        }
        if (!Files.isExecutable(Bubblewrap.BWRAP)) missing.add("bubblewrap (apt-get install bubblewrap)");
        if (!Files.isExecutable(Bubblewrap.SETPRIV)) missing.add("setpriv (apt-get install util-linux)");
        if (!"root".equals(System.getProperty("user.name"))) missing.add("root: the agent must run as root to give each workload a uid of its own");
        Optional<Cgroups> cgroups = Cgroups.detect();
        if (cgroups.isEmpty()) missing.add("a writable cgroup v1 (memory, cpu, pids) or v2 hierarchy under /sys/fs/cgroup");
        return new SandboxSupport(cgroups, List.copyOf(missing));
    }

    public boolean available() {
        return missing.isEmpty();
    }

    /** What a node reports: {@code bwrap+cgroup-v1}, or why it cannot sandbox. */
    public String describe() {
        return available() ? "bwrap+" + cgroups.get().version() : "unavailable: needs " + String.join(", ", missing);
    }
}
