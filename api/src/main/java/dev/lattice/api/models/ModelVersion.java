package dev.lattice.api.models;

import dev.lattice.workloads.WorkloadSpec;
import java.time.Instant;

/**
 * One uploaded, checked version of a model (kind {@value #KIND}, key {@code NAME:VERSION}, owned
 * by the models service): its config, the model file and contract in the repository by hash,
 * the contract in its normalised JSON form (handed to each replica), and the tensors the model
 * declares (for the UI and V2 metadata without asking a replica).
 */
public record ModelVersion(String name, String version, ModelConfig config, WorkloadSpec.Artefact model,
                           String contractSha256, String contract, Object signature, String uploadedBy,
                           Instant uploadedAt) {
    public static final String KIND = "model-version";

    public static String key(String name, String version) {
        return name + ":" + version;
    }
}
