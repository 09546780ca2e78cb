package dev.lattice.api.models;

import java.time.Instant;

/**
 * What the data scientist asked to run of a model (kind {@value #KIND}, key: the model's name,
 * owned by the models service): which version, how many replicas, or nothing ({@code active}
 * false after an undeploy, so the model shows STOPPED rather than never deployed); and a canary
 * beside it, or null.
 */
public record ModelDeployment(String name, String version, int replicas, boolean active, String by, Instant at,
                              Canary canary) {
    public static final String KIND = "model-deployment";

    public ModelDeployment(String name, String version, int replicas, boolean active, String by, Instant at) {
        this(name, version, replicas, active, by, at, null);
    }

    /**
     * Another version taking {@code weight} % of predict and V2 calls (API.md "Contracts as code and
     * model rollout"), rolled back by the gateway once at least {@code minRequests} of its calls
     * were answered and more than {@code maxErrorRate} of them with a server error (5xx).
     */
    public record Canary(String version, int weight, Double maxErrorRate, Integer minRequests) {
        public static final double DEFAULT_MAX_ERROR_RATE = 0.1;
        public static final int DEFAULT_MIN_REQUESTS = 20;

        public Canary {
            if (version == null || version.isBlank()) throw bad("canary.version: which version is the canary");
            if (weight < 1 || weight > 99) throw bad("canary.weight: 1..99 (% of calls), not " + weight);
            maxErrorRate = maxErrorRate == null ? DEFAULT_MAX_ERROR_RATE : maxErrorRate;
            if (!(maxErrorRate >= 0 && maxErrorRate <= 1)) throw bad("canary.maxErrorRate: 0..1, not " + maxErrorRate);
            minRequests = minRequests == null ? DEFAULT_MIN_REQUESTS : minRequests;
            if (minRequests < 1) throw bad("canary.minRequests: at least 1, not " + minRequests);
        }

        private static dev.lattice.core.LatticeException bad(String detail) {
            return dev.lattice.core.LatticeException.badRequest("models:canary", detail);
        }
    }
}
