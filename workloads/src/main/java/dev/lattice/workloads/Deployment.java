package dev.lattice.workloads;

import java.time.Instant;

/**
 * The desired state of something that runs: {@code replicas} copies of {@code spec}, optionally
 * pinned to one node. Owned by the deployer (kind {@value #KIND}); models and app instances make
 * theirs through the same command as users do.
 */
public record Deployment(String name, String kind, WorkloadSpec spec, int replicas, String node,
                         String createdBy, Instant createdAt) {
    public static final String KIND = "deployment";

    /** Kinds of workload (API.md): a platform service, a model server, an app instance, or anything an admin runs. */
    public static final String SERVICE = "service";
    public static final String MODEL = "model";
    public static final String APP = "app";
    public static final String CUSTOM = "custom";
}
