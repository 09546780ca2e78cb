package dev.lattice.api.apps;

import dev.lattice.workloads.WorkloadSpec;
import java.time.Instant;

/**
 * One uploaded, checked version of an app (kind {@value #KIND}, key {@code NAME:VERSION}, owned by
 * the apps service): its config, its jar or bundle in the repository by hash, and for a {@code java}
 * app the class that runs (the config's {@code main} or the jar's {@code Main-Class}, found at upload).
 */
public record AppVersion(String name, String version, AppConfig config, WorkloadSpec.Artefact artefact,
                         String mainClass, String uploadedBy, Instant uploadedAt) {
    public static final String KIND = "app-version";

    public static String key(String name, String version) {
        return name + ":" + version;
    }
}
