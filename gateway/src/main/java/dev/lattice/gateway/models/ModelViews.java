package dev.lattice.gateway.models;

import dev.lattice.api.models.ModelConfig;
import dev.lattice.api.models.ModelDeployment;
import dev.lattice.api.models.ModelVersion;
import dev.lattice.bus.Bus;
import dev.lattice.bus.state.StateView;
import dev.lattice.bus.state.Versioned;
import dev.lattice.core.LatticeException;
import dev.lattice.gateway.workloads.WorkloadViews;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Models as API.md shows them, joined from the models service's versions and deployments and
 * the deployer's replicas with what their agents report. The status of a deployment is derived
 * here, from the replicas, never stored: PENDING (no replica of the wanted version placed yet),
 * DEPLOYING (placed, not all ready, or an older version still being replaced), READY (as many
 * ready replicas of the wanted version as asked, nothing older left), FAILED (a replica of the
 * wanted version keeps crashing and none is ready), STOPPED (undeployed).
 */
public final class ModelViews {
    static final String VERSION_ENV = "LATTICE_MODEL_VERSION";
    private static final int CRASH_LOOP = 3;

    private final StateView<ModelVersion> versions;
    private final StateView<ModelDeployment> deployments;
    private final WorkloadViews workloads;
    private final Traffic traffic = new Traffic();

    ModelViews(StateView<ModelVersion> versions, StateView<ModelDeployment> deployments, WorkloadViews workloads) {
        this.versions = versions;
        this.deployments = deployments;
        this.workloads = workloads;
    }

    public static ModelViews follow(Bus bus, WorkloadViews workloads, Duration catchUp) {
        var v = new ModelViews(bus.view(ModelVersion.KIND, ModelVersion.class),
                bus.view(ModelDeployment.KIND, ModelDeployment.class), workloads);
        v.versions.awaitCaughtUp(catchUp);
        v.deployments.awaitCaughtUp(catchUp);
        return v;
    }

    /** @param contractLanguage {@code yaml} or {@code python}; @param example the config's example request, or null */
    public record VersionView(String version, String uploadedBy, Instant uploadedAt, String modelSha256,
                              String contractSha256, Object signature, Object resources, int replicas,
                              String contractLanguage, Object example) {}

    public record ReplicaView(String id, String node, String status, String version, boolean ready, int restarts) {}


    /** API.md's model: {@code versions} are the version names, oldest first; {@code versionDetails} says more. */
    /** @param traffic what this gateway proxied of each version since the deployment began; null when not deployed */
    public record ModelView(String name, List<String> versions, List<VersionView> versionDetails,
                            Map<String, Object> deployed, List<Traffic.Row> traffic) {}

    List<ModelView> all() {
        Map<String, List<ModelVersion>> byName = new TreeMap<>();
        for (Versioned<ModelVersion> v : versions.list()) byName.computeIfAbsent(v.value().name(), k -> new java.util.ArrayList<>()).add(v.value());
        return byName.entrySet().stream().map(e -> view(e.getKey(), e.getValue())).toList();
    }

    ModelView one(String name) {
        List<ModelVersion> list = versions.list().stream().map(Versioned::value).filter(v -> v.name().equals(name)).toList();
        if (list.isEmpty()) throw LatticeException.notFound("models:not-found", "model '" + name + "' does not exist");
        return view(name, list);
    }

    boolean exists(String name, String version) {
        return versions.get(ModelVersion.key(name, version)).isPresent();
    }

    /**
     * Waits (at most {@code timeout}) until this view holds a version just added through its owning
     * service, so that a request right after the answer (deploy, GET) finds it here too.
     */
    void awaitAdded(String name, String version, Duration timeout) {
        versions.awaitPresent(ModelVersion.key(name, version), timeout);
    }

    boolean exists(String name) {
        return versions.list().stream().anyMatch(v -> v.value().name().equals(name));
    }

    Optional<ModelVersion> version(String name, String version) {
        return versions.get(ModelVersion.key(name, version)).map(Versioned::value);
    }

    /** The replicas that answer requests now (both versions during a rolling replace). */
    List<WorkloadViews.Replica> ready(String name) {
        return workloads.replicas(ModelConfig.deploymentOf(name)).stream().filter(WorkloadViews.Replica::ready).toList();
    }

    /** The ready replicas of its canary's deployment (none without a canary). */
    List<WorkloadViews.Replica> readyCanary(String name) {
        return workloads.replicas(ModelConfig.canaryOf(name)).stream().filter(WorkloadViews.Replica::ready).toList();
    }

    /** What is deployed of it, when it is (active). */
    Optional<ModelDeployment> deployment(String name) {
        return deployments.get(name).map(Versioned::value).filter(ModelDeployment::active);
    }

    Traffic traffic() {
        return traffic;
    }

    /** The status of a model's deployment (API.md), or null if it was never deployed. */
    String status(String name) {
        return deployments.get(name).map(d -> status(d.value(), workloads.replicas(ModelConfig.deploymentOf(name)))).orElse(null);
    }

    private ModelView view(String name, List<ModelVersion> list) {
        List<ModelVersion> sorted = list.stream().sorted(Comparator.comparing(ModelVersion::uploadedAt)).toList();
        List<VersionView> details = sorted.stream().map(v -> new VersionView(v.version(), v.uploadedBy(), v.uploadedAt(),
                v.model().sha256(), v.contractSha256(), v.signature(), v.config().resources(), v.config().replicas(),
                v.contractLanguage(), v.config().example())).toList();
        return new ModelView(name, sorted.stream().map(ModelVersion::version).toList(), details,
                deployments.get(name).map(d -> deployed(d.value())).orElse(null),
                deployment(name).map(traffic::rows).orElse(null));
    }

    private Map<String, Object> deployed(ModelDeployment d) {
        List<WorkloadViews.Replica> replicas = d.active() ? workloads.replicas(ModelConfig.deploymentOf(d.name())) : List.of();
        List<ReplicaView> shown = replicas.stream().map(r -> new ReplicaView(r.id(), r.node(), r.status(),
                r.env().get(VERSION_ENV), r.ready(), r.restarts())).toList();
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        out.put("version", d.version());
        out.put("status", status(d, replicas));
        out.put("wantedReplicas", d.replicas());
        out.put("replicas", shown);
        out.put("since", d.at());
        if (d.active() && d.canary() != null) {
            List<WorkloadViews.Replica> canary = workloads.replicas(ModelConfig.canaryOf(d.name()));
            out.put("canary", Map.of("version", d.canary().version(), "weight", d.canary().weight(),
                    "maxErrorRate", d.canary().maxErrorRate(), "minRequests", d.canary().minRequests(),
                    "ready", canary.stream().filter(WorkloadViews.Replica::ready).count()));
        }
        return out;
    }

    static String status(ModelDeployment d, List<WorkloadViews.Replica> replicas) {
        if (!d.active()) return "STOPPED";
        List<WorkloadViews.Replica> wanted = replicas.stream().filter(r -> d.version().equals(r.env().get(VERSION_ENV))).toList();
        long ready = wanted.stream().filter(WorkloadViews.Replica::ready).count();
        if (ready >= d.replicas() && wanted.size() == replicas.size()) return "READY";
        if (ready == 0 && wanted.stream().anyMatch(r -> r.status().equals("FAILED") && r.restarts() >= CRASH_LOOP)) return "FAILED";
        if (wanted.stream().noneMatch(r -> r.node() != null)) return "PENDING";
        return "DEPLOYING";
    }
}
