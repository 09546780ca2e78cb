package dev.lattice.agent.runtime.sandbox;

import dev.lattice.agent.runtime.Sandbox;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * cgroup v1: a folder {@code lattice/NAME} under each of the memory, cpu, cpuacct, pids and
 * freezer trees. Swap is capped with memory where the kernel accounts it ({@code memsw}), so an
 * overrun is an OOM kill, not a slow crawl through swap.
 */
final class CgroupV1 implements Cgroups {
    private static final List<String> CONTROLLERS = List.of("memory", "cpu", "pids", "freezer");
    private final Path root;

    CgroupV1(Path root) {
        this.root = root;
    }

    @Override
    public String version() {
        return "cgroup-v1";
    }

    @Override
    public WorkloadCgroup create(String name, Sandbox limits) throws IOException {
        Group g = new Group(root, name);
        g.delete(); // an ended run's group: its counters must not count against this run
        for (String c : CONTROLLERS) Files.createDirectories(g.dir(c));
        Path mem = g.dir("memory");
        long bytes = limits.memoryMb() * 1024 * 1024;
        WorkloadCgroup.write(mem.resolve("memory.limit_in_bytes"), Long.toString(bytes));
        if (Files.exists(mem.resolve("memory.memsw.limit_in_bytes"))) {
            WorkloadCgroup.write(mem.resolve("memory.memsw.limit_in_bytes"), Long.toString(bytes));
        }
        Path cpu = g.dir("cpu");
        WorkloadCgroup.write(cpu.resolve("cpu.cfs_period_us"), "100000");
        WorkloadCgroup.write(cpu.resolve("cpu.cfs_quota_us"), limits.cpus() > 0 ? Long.toString(Math.max(1000, Math.round(limits.cpus() * 100_000))) : "-1");
        WorkloadCgroup.write(g.dir("pids").resolve("pids.max"), Integer.toString(limits.pids()));
        return g;
    }

    @Override
    public WorkloadCgroup existing(String name) {
        return new Group(root, name);
    }

    private record Group(Path root, String name) implements WorkloadCgroup {
        Path dir(String controller) {
            return root.resolve(controller).resolve("lattice").resolve(name);
        }

        @Override
        public List<Path> procsFiles() {
            return CONTROLLERS.stream().map(c -> dir(c).resolve("cgroup.procs")).toList();
        }

        @Override
        public long oomKills() {
            return WorkloadCgroup.keyed(dir("memory").resolve("memory.oom_control"), "oom_kill");
        }

        @Override
        public void killAll() {
            Path freezer = dir("freezer").resolve("freezer.state");
            try {
                // Frozen, a fork bomb cannot fork between our reading its pids and killing them.
                WorkloadCgroup.write(freezer, "FROZEN");
                WorkloadCgroup.signal(pids(), "KILL");
            } catch (IOException e) {
                WorkloadCgroup.signal(pids(), "KILL");
            } finally {
                try {
                    if (Files.exists(freezer)) WorkloadCgroup.write(freezer, "THAWED");
                } catch (IOException ignored) {
                    // the group is gone
                }
            }
        }

        @Override
        public void delete() {
            for (String c : CONTROLLERS) WorkloadCgroup.remove(dir(c));
        }
    }
}
