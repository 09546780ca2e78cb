package dev.lattice.api.models;

import java.time.Instant;

/**
 * What the data scientist asked to run of a model (kind {@value #KIND}, key: the model's name,
 * owned by the models service): which version, how many replicas, or nothing ({@code active}
 * false after an undeploy, so the model shows STOPPED rather than never deployed).
 */
public record ModelDeployment(String name, String version, int replicas, boolean active, String by, Instant at) {
    public static final String KIND = "model-deployment";
}
