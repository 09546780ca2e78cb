package dev.lattice.gateway.apps;

import dev.lattice.api.apps.AppConfig;
import dev.lattice.api.apps.AppInstance;
import dev.lattice.api.apps.AppVersion;
import dev.lattice.api.scheduler.InstanceSchedule;
import dev.lattice.bus.Bus;
import dev.lattice.bus.state.StateView;
import dev.lattice.bus.state.Versioned;
import dev.lattice.core.AppScope;
import dev.lattice.core.LatticeException;
import dev.lattice.core.Principal;
import dev.lattice.core.Role;
import dev.lattice.gateway.http.Authenticator;
import dev.lattice.gateway.workloads.WorkloadViews;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Apps and app instances as API.md shows them, joined from the apps service's versions and
 * instances, the scheduler's per-instance schedules and the deployer's workload with what its
 * agent reports. An instance's status is derived here, never stored: RUNNING while its workload
 * runs; PENDING while it is being placed or started (or restarted after a crash); FAILED when it
 * keeps crashing; SCHEDULED between runs of a schedule; SUCCEEDED when a schedule has no run left.
 * Also checks app instance tokens. Thread-safe (reads views only).
 */
public final class AppViews implements Authenticator.AppVerifier {
    private static final int CRASH_LOOP = 3;

    private final StateView<AppVersion> versions;
    private final StateView<AppInstance> instances;
    private final StateView<InstanceSchedule> schedules;
    private final WorkloadViews workloads;

    AppViews(StateView<AppVersion> versions, StateView<AppInstance> instances, StateView<InstanceSchedule> schedules,
             WorkloadViews workloads) {
        this.versions = versions;
        this.instances = instances;
        this.schedules = schedules;
        this.workloads = workloads;
    }

    public static AppViews follow(Bus bus, WorkloadViews workloads, Duration catchUp) {
        var v = new AppViews(bus.view(AppVersion.KIND, AppVersion.class), bus.view(AppInstance.KIND, AppInstance.class),
                bus.view(InstanceSchedule.KIND, InstanceSchedule.class), workloads);
        v.versions.awaitCaughtUp(catchUp);
        v.instances.awaitCaughtUp(catchUp);
        v.schedules.awaitCaughtUp(catchUp);
        return v;
    }

    /** API.md's catalog entry (the latest version), with its params, runtime, schedule and every version name. */
    public record CatalogEntry(String name, String version, String description, String runtime, Object sensors,
                               Object controllers, List<String> models, Object params, Object schedule, Object resources,
                               List<String> versions, String uploadedBy, Instant uploadedAt) {}

    public record InstanceView(String id, String app, String version, String owner, Map<String, List<String>> bindings,
                               Map<String, Object> params, String status, String node, int restarts, String workload,
                               Object schedule, Instant nextRun, List<InstanceSchedule.Run> runs, Instant createdAt) {}

    List<CatalogEntry> catalog() {
        Map<String, List<AppVersion>> byName = new TreeMap<>();
        for (Versioned<AppVersion> v : versions.list()) byName.computeIfAbsent(v.value().name(), k -> new java.util.ArrayList<>()).add(v.value());
        return byName.values().stream().map(AppViews::entry).toList();
    }

    CatalogEntry app(String name) {
        List<AppVersion> list = versions.list().stream().map(Versioned::value).filter(v -> v.name().equals(name)).toList();
        if (list.isEmpty()) throw LatticeException.notFound("apps:not-found", "app '" + name + "' does not exist");
        return entry(list);
    }

    boolean exists(String name, String version) {
        return versions.get(AppVersion.key(name, version)).isPresent();
    }

    /**
     * Waits (at most {@code timeout}) until this view holds a version just added through its owning
     * service, so that a request right after the answer (deploy, GET) finds it here too.
     */
    void awaitAdded(String name, String version, Duration timeout) {
        versions.awaitPresent(AppVersion.key(name, version), timeout);
    }

    boolean exists(String name) {
        return versions.list().stream().anyMatch(v -> v.value().name().equals(name));
    }

    private static CatalogEntry entry(List<AppVersion> list) {
        List<AppVersion> sorted = list.stream().sorted(Comparator.comparing(AppVersion::uploadedAt)).toList();
        AppVersion latest = sorted.get(sorted.size() - 1);
        AppConfig c = latest.config();
        return new CatalogEntry(c.name(), c.version(), c.description(), c.runtime().json(), c.sensors(), c.controllers(),
                c.models(), c.params(), c.schedule(), c.resources(), sorted.stream().map(AppVersion::version).toList(),
                latest.uploadedBy(), latest.uploadedAt());
    }

    /** The instances {@code p} may see: an admin all, an end user their own, an app developer those of apps they uploaded. */
    List<InstanceView> visible(Principal p, String app) {
        return instances.list().stream().map(Versioned::value)
                .filter(i -> app == null || app.equals(i.app()))
                .filter(i -> maySee(p, i))
                .sorted(Comparator.comparing(AppInstance::createdAt).reversed())
                .map(this::view).toList();
    }

    /** One instance, if {@code p} may see it; 404 otherwise (another user's instance is not even said to exist). */
    AppInstance instance(Principal p, String id) {
        return instances.get(id).map(Versioned::value).filter(i -> maySee(p, i))
                .orElseThrow(() -> LatticeException.notFound("apps:instance.not-found", "app instance '" + id + "' does not exist"));
    }

    InstanceView view(AppInstance i) {
        var replicas = workloads.replicas(AppInstance.deploymentOf(i.id()));
        Optional<InstanceSchedule> schedule = schedules.get(i.id()).map(Versioned::value);
        String status;
        String node = null;
        int restarts = 0;
        String workload = null;
        if (!replicas.isEmpty()) {
            var r = replicas.get(0);
            node = r.node();
            restarts = r.restarts();
            workload = r.id();
            if (r.status().equals("RUNNING")) status = "RUNNING";
            else if (r.status().equals("FAILED") && r.restarts() >= CRASH_LOOP) status = "FAILED";
            else status = "PENDING";
        } else if (i.schedule() != null) {
            status = schedule.filter(InstanceSchedule::finished).isPresent() ? "SUCCEEDED" : "SCHEDULED";
        } else {
            status = "PENDING";
        }
        return new InstanceView(i.id(), i.app(), i.version(), i.owner(), i.bindings(), i.params(), status, node, restarts,
                workload, i.schedule(), schedule.map(InstanceSchedule::nextFireTime).orElse(null),
                schedule.map(InstanceSchedule::runs).orElse(List.of()), i.createdAt());
    }

    /** The workload id running {@code i} now, if one does. */
    Optional<WorkloadViews.Replica> replica(AppInstance i) {
        return workloads.replicas(AppInstance.deploymentOf(i.id())).stream().findFirst();
    }

    private boolean maySee(Principal p, AppInstance i) {
        if (p.kind() == Principal.Kind.APP) return p.name().equals(i.id());
        if (AppInstance.mayManage(p, i)) return true;
        return p.role() == Role.APP_DEVELOPER && versions.get(AppVersion.key(i.app(), i.version()))
                .map(v -> v.value().uploadedBy().equals(p.name())).orElse(false);
    }

    @Override
    public Principal verify(String token) {
        return AppInstance.verifyToken(instances, token);
    }

    @Override
    public AppScope scope(String instanceId) {
        return instances.get(instanceId).map(v -> v.value().scope()).orElse(null);
    }

    static Map<String, Object> created(String id, String status) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", id);
        out.put("status", status);
        return out;
    }
}
