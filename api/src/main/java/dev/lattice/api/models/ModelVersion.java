package dev.lattice.api.models;

import dev.lattice.workloads.WorkloadSpec;
import java.time.Instant;

/**
 * One uploaded, checked version of a model (kind {@value #KIND}, key {@code NAME:VERSION}, owned
 * by the models service): its config, the model file and contract in the repository by hash,
 * the contract as each replica gets it, and the tensors the model declares (for the UI and V2
 * metadata without asking a replica).
 *
 * @param contract         a YAML contract's normalised JSON, or a Python contract's source
 * @param contractLanguage {@value #YAML} or {@value #PYTHON} (records written before Python
 *                         contracts have none: YAML)
 */
public record ModelVersion(String name, String version, ModelConfig config, WorkloadSpec.Artefact model,
                           String contractSha256, String contract, Object signature, String uploadedBy,
                           Instant uploadedAt, String contractLanguage) {
    public static final String KIND = "model-version";
    public static final String YAML = "yaml";
    public static final String PYTHON = "python";

    public ModelVersion {
        contractLanguage = contractLanguage == null ? YAML : contractLanguage;
    }

    public boolean pythonContract() {
        return PYTHON.equals(contractLanguage);
    }

    public static String key(String name, String version) {
        return name + ":" + version;
    }
}
