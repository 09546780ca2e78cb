package dev.lattice.agent.runtime.sandbox;

import dev.lattice.agent.runtime.Sandbox;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * cgroup v2: one folder {@code lattice/NAME} in the unified tree, with the memory, cpu and pids
 * controllers enabled down to it. Swap is switched off for it, so an overrun is an OOM kill.
 */
final class CgroupV2 implements Cgroups {
    private final Path root;

    CgroupV2(Path root) {
        this.root = root;
    }

    @Override
    public String version() {
        return "cgroup-v2";
    }

    @Override
    public WorkloadCgroup create(String name, Sandbox limits) throws IOException {
        Path parent = root.resolve("lattice");
        Files.createDirectories(parent);
        // Controllers must be enabled in every ancestor's subtree_control to reach a child.
        enable(root);
        enable(parent);
        Group g = new Group(parent.resolve(name));
        g.delete();
        Files.createDirectories(g.dir());
        WorkloadCgroup.write(g.dir().resolve("memory.max"), Long.toString(limits.memoryMb() * 1024 * 1024));
        if (Files.exists(g.dir().resolve("memory.swap.max"))) WorkloadCgroup.write(g.dir().resolve("memory.swap.max"), "0");
        WorkloadCgroup.write(g.dir().resolve("cpu.max"),
                (limits.cpus() > 0 ? Long.toString(Math.max(1000, Math.round(limits.cpus() * 100_000))) : "max") + " 100000");
        WorkloadCgroup.write(g.dir().resolve("pids.max"), Integer.toString(limits.pids()));
        return g;
    }

    private static void enable(Path dir) throws IOException {
        String on = Files.readString(dir.resolve("cgroup.subtree_control"));
        if (on.contains("memory") && on.contains("cpu") && on.contains("pids")) return;
        WorkloadCgroup.write(dir.resolve("cgroup.subtree_control"), "+memory +cpu +pids");
    }

    @Override
    public WorkloadCgroup existing(String name) {
        return new Group(root.resolve("lattice").resolve(name));
    }

    private record Group(Path dir) implements WorkloadCgroup {
        @Override
        public List<Path> procsFiles() {
            return List.of(dir.resolve("cgroup.procs"));
        }

        @Override
        public long oomKills() {
            return WorkloadCgroup.keyed(dir.resolve("memory.events"), "oom_kill");
        }

        @Override
        public void killAll() {
            try {
                if (Files.exists(dir.resolve("cgroup.kill"))) {
                    WorkloadCgroup.write(dir.resolve("cgroup.kill"), "1");
                    return;
                }
                WorkloadCgroup.write(dir.resolve("cgroup.freeze"), "1");
                WorkloadCgroup.signal(pids(), "KILL");
                WorkloadCgroup.write(dir.resolve("cgroup.freeze"), "0");
            } catch (IOException e) {
                WorkloadCgroup.signal(pids(), "KILL");
            }
        }

        @Override
        public void delete() {
            WorkloadCgroup.remove(dir);
        }
    }
}
