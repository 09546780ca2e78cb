package dev.lattice.workloads;

import dev.lattice.core.LatticeException;

/**
 * What a workload asks of its node: CPU cores (fractions allowed) and memory. Zero means "no
 * reservation" (best effort): such workloads are placed by measured load alone.
 */
public record Resources(double cpu, int memoryMb) {
    public static final Resources NONE = new Resources(0, 0);

    public Resources {
        if (!(cpu >= 0 && cpu <= 1024)) throw LatticeException.badRequest("workloads:cpu", "resources.cpu: must be 0..1024 cores, not " + cpu);
        if (memoryMb < 0 || memoryMb > 4 * 1024 * 1024) throw LatticeException.badRequest("workloads:memory", "resources.memoryMb: must be 0..4194304, not " + memoryMb);
    }

    public Resources plus(Resources other) {
        return new Resources(cpu + other.cpu, memoryMb + other.memoryMb);
    }
}
