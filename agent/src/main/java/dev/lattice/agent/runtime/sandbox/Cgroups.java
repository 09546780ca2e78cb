package dev.lattice.agent.runtime.sandbox;

import dev.lattice.agent.runtime.Sandbox;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * This host's cgroup hierarchy, as far as workloads need it. Version 1 (one tree per controller:
 * what this project's machines mount) and version 2 (one unified tree: most current hosts) are
 * both supported; a hybrid host whose v2 tree has no controllers counts as v1.
 */
public sealed interface Cgroups permits CgroupV1, CgroupV2 {
    Path ROOT = Path.of("/sys/fs/cgroup");

    /** {@code cgroup-v1} or {@code cgroup-v2}. */
    String version();

    /**
     * A fresh cgroup for one workload, {@code name} unique on this host, with the sandbox's limits
     * set; an earlier one of that name (an ended run) is replaced, so its OOM count starts at 0.
     */
    WorkloadCgroup create(String name, Sandbox limits) throws IOException;

    /** The cgroup of that name as it is (a run adopted after an agent restart). */
    WorkloadCgroup existing(String name);

    /** The hierarchy workloads can be confined in, if this host has one we can write (root). */
    static Optional<Cgroups> detect() {
        if (Files.isWritable(ROOT.resolve("memory")) && Files.exists(ROOT.resolve("memory/memory.limit_in_bytes"))
                && Files.isDirectory(ROOT.resolve("pids")) && Files.isDirectory(ROOT.resolve("cpu"))) {
            return Optional.of(new CgroupV1(ROOT));
        }
        if (Files.exists(ROOT.resolve("cgroup.controllers")) && Files.isWritable(ROOT)) {
            try {
                String controllers = Files.readString(ROOT.resolve("cgroup.controllers"));
                if (controllers.contains("memory") && controllers.contains("pids") && controllers.contains("cpu"))
                    return Optional.of(new CgroupV2(ROOT));
            } catch (IOException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }
}
