package dev.lattice.workloads;

/** API.md's workload states. FAILED: it exited unasked and waits for its next restart (back-off). */
public enum WorkloadStatus { PENDING, STARTING, RUNNING, FAILED, STOPPED }
