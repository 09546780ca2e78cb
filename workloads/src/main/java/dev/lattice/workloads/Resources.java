package dev.lattice.workloads;

import dev.lattice.core.LatticeException;

/**
 * What a workload asks of its node: CPU cores (fractions allowed), memory and a process count.
 * The deployer places by {@code cpu} and {@code memoryMb}; the agent has the kernel hold a
 * user's workload to them (a CPU quota, a memory limit whose overrun kills only that workload,
 * and {@code pids} processes and threads). Zero cpu or memory means "no reservation" (best
 * effort): such workloads are placed by measured load alone, and the agent applies its node's
 * defaults. {@code pids} 0 means the default, {@value #DEFAULT_PIDS}.
 */
public record Resources(double cpu, int memoryMb, int pids) {
    public static final int DEFAULT_PIDS = 256;
    public static final Resources NONE = new Resources(0, 0, 0);

    public Resources {
        if (!(cpu >= 0 && cpu <= 1024)) throw LatticeException.badRequest("workloads:cpu", "resources.cpu: must be 0..1024 cores, not " + cpu);
        if (memoryMb < 0 || memoryMb > 4 * 1024 * 1024) throw LatticeException.badRequest("workloads:memory", "resources.memoryMb: must be 0..4194304, not " + memoryMb);
        if (pids < 0 || pids > 65_536) throw LatticeException.badRequest("workloads:pids", "resources.pids: must be 0..65536 (0: the default, " + DEFAULT_PIDS + "), not " + pids);
    }

    public Resources(double cpu, int memoryMb) {
        this(cpu, memoryMb, 0);
    }

    /** The process limit the kernel holds this workload to. */
    public int pidsLimit() {
        return pids == 0 ? DEFAULT_PIDS : pids;
    }

    public Resources plus(Resources other) {
        return new Resources(cpu + other.cpu, memoryMb + other.memoryMb, 0);
    }
}
