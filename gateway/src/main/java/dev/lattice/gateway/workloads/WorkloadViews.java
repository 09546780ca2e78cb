package dev.lattice.gateway.workloads;

import dev.lattice.bus.Bus;
import dev.lattice.bus.state.StateView;
import dev.lattice.bus.state.Versioned;
import dev.lattice.core.LatticeException;
import dev.lattice.core.SecretEnv;
import dev.lattice.workloads.Deployment;
import dev.lattice.workloads.Node;
import dev.lattice.workloads.NodeReport;
import dev.lattice.workloads.Workload;
import dev.lattice.workloads.WorkloadStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The gateway's read side of nodes, deployments and workloads: views of the node manager's,
 * the deployer's and the agents' kinds, joined into what API.md's routes answer.
 */
public final class WorkloadViews {
    private final StateView<Node> nodes;
    private final StateView<NodeReport> reports;
    private final StateView<Deployment> deployments;
    private final StateView<Workload> workloads;

    private WorkloadViews(StateView<Node> nodes, StateView<NodeReport> reports, StateView<Deployment> deployments,
                          StateView<Workload> workloads) {
        this.nodes = nodes;
        this.reports = reports;
        this.deployments = deployments;
        this.workloads = workloads;
    }

    public static WorkloadViews follow(Bus bus, Duration catchUp) {
        var v = new WorkloadViews(bus.view(Node.KIND, Node.class), bus.view(NodeReport.KIND, NodeReport.class),
                bus.view(Deployment.KIND, Deployment.class), bus.view(Workload.KIND, Workload.class));
        v.nodes.awaitCaughtUp(catchUp);
        v.reports.awaitCaughtUp(catchUp);
        v.deployments.awaitCaughtUp(catchUp);
        v.workloads.awaitCaughtUp(catchUp);
        return v;
    }

    /**
     * API.md's node: status from the node manager, load from the agent's latest report; {@code docker}
     * (host and version, never the key) for a remote Docker server.
     */
    public record NodeView(String name, String status, String runtime, double cpuLoad, double placedCpuLoad, long memoryUsedMb,
                           long memoryTotalMb, int workloads, int cpus, List<String> labels, Instant statusSince,
                           Instant reportedAt, String sandbox, dev.lattice.workloads.DockerEngine docker) {}

    /** API.md's workload, with where it came from and what its agent last said. */
    public record WorkloadView(String id, String deployment, String kind, String node, String status, int restarts,
                               int replica, String message, Instant since, LastExitView lastExit) {}

    /** How the workload's last run ended unasked (API.md: {@code "lastExit":{"reason":"OOMKilled","at"}}). */
    public record LastExitView(String reason, int exitCode, Instant at) {
        static LastExitView of(NodeReport.LastExit e) {
            return e == null ? null : new LastExitView(e.reason(), e.exitCode(), e.at());
        }
    }

    public record DeploymentView(String name, String kind, List<String> command, String image, int replicas,
                                 dev.lattice.workloads.Resources resources, String node, java.util.Map<String, String> env,
                                 int running, String createdBy, Instant createdAt) {}

    /**
     * A replica of a deployment as the inference proxy and the model views need it: where it is,
     * what its agent says, and its address while it is ready (RUNNING) to serve HTTP. Its env holds
     * the serve key: for the proxy only, never for an answer.
     */
    public record Replica(String id, String node, String status, int restarts, String address,
                          java.util.Map<String, String> env) {
        public boolean ready() {
            return address != null && status.equals("RUNNING");
        }
    }

    /** Every replica of a workload of {@code kind} (e.g. {@code model}: the model servers) that is ready, with its address. */
    public List<Replica> ready(String kind) {
        Set<String> deployments = new java.util.TreeSet<>();
        for (WorkloadView w : workloads()) if (w.kind().equals(kind)) deployments.add(w.deployment());
        return deployments.stream().flatMap(d -> replicas(d).stream()).filter(Replica::ready).toList();
    }

    /** The replicas of {@code deployment}, in replica order. */
    public List<Replica> replicas(String deployment) {
        List<Replica> out = new ArrayList<>();
        for (Versioned<Workload> v : workloads.list()) {
            Workload w = v.value();
            if (!w.deployment().equals(deployment)) continue;
            Optional<NodeReport.Running> seen = w.node() == null ? Optional.empty()
                    : reports.get(w.node()).flatMap(r -> r.value().workloads().stream().filter(x -> x.id().equals(w.id())).findFirst());
            out.add(new Replica(w.id(), w.node(), seen.map(s -> s.status().name()).orElse(WorkloadStatus.PENDING.name()),
                    seen.map(NodeReport.Running::restarts).orElse(0), seen.map(NodeReport.Running::address).orElse(null),
                    w.spec().env()));
        }
        return out;
    }

    List<NodeView> nodes() {
        List<WorkloadView> all = workloads(); // once, not once per node
        return nodes.list().stream().map(Versioned::value).sorted(Comparator.comparing(Node::name)).map(n -> {
            Optional<NodeReport> r = reports.get(n.name()).map(Versioned::value);
            return new NodeView(n.name(), n.status().name(), n.runtime(), r.map(NodeReport::cpuLoad).orElse(0.0),
                    r.map(NodeReport::placedCpuLoad).orElse(0.0),
                    r.map(NodeReport::memoryUsedMb).orElse(0L), n.memoryTotalMb(),
                    (int) all.stream().filter(w -> n.name().equals(w.node())).count(), n.cpus(), n.labels(),
                    n.statusSince(), r.map(NodeReport::ts).orElse(null), r.map(NodeReport::sandbox).orElse(null),
                    r.map(NodeReport::docker).orElse(n.docker()));
        }).toList();
    }

    /** The nodes that run user workloads unconfined (started with --insecure-workloads): health says so. */
    public List<String> unconfinedNodes() {
        return reports.list().stream().map(Versioned::value).filter(r -> NodeReport.UNCONFINED.equals(r.sandbox()))
                .map(NodeReport::node).sorted().toList();
    }

    Optional<Node> node(String name) {
        return nodes.get(name).map(Versioned::value);
    }

    /**
     * Every workload: the deployer's, each with the state its assigned node's agent reports
     * (PENDING until that agent has picked it up), and the static ones (platform services) that
     * agents report but the deployer does not place.
     */
    List<WorkloadView> workloads() {
        List<WorkloadView> out = new ArrayList<>();
        Set<String> known = new HashSet<>();
        for (Versioned<Workload> v : workloads.list()) {
            Workload w = v.value();
            known.add(w.id());
            Optional<NodeReport.Running> seen = w.node() == null ? Optional.empty()
                    : reports.get(w.node()).flatMap(r -> r.value().workloads().stream().filter(x -> x.id().equals(w.id())).findFirst());
            out.add(new WorkloadView(w.id(), w.deployment(), w.kind(), w.node(),
                    seen.map(s -> s.status().name()).orElse(WorkloadStatus.PENDING.name()),
                    seen.map(NodeReport.Running::restarts).orElse(0), w.replica(),
                    seen.map(NodeReport.Running::message).orElse(w.node() == null ? "waiting for a node" : "waiting for " + w.node()),
                    seen.map(NodeReport.Running::since).orElse(w.assignedAt()),
                    seen.map(NodeReport.Running::lastExit).map(LastExitView::of).orElse(null)));
        }
        for (Versioned<NodeReport> r : reports.list()) {
            for (NodeReport.Running s : r.value().workloads()) {
                if (known.contains(s.id()) || !Deployment.SERVICE.equals(s.kind())) continue;
                out.add(new WorkloadView(s.id(), s.deployment(), s.kind(), r.value().node(), s.status().name(),
                        s.restarts(), 0, s.message(), s.since(), LastExitView.of(s.lastExit())));
            }
        }
        out.sort(Comparator.comparing(WorkloadView::deployment).thenComparing(WorkloadView::replica).thenComparing(WorkloadView::id));
        return out;
    }

    WorkloadView workload(String id) {
        return workloads().stream().filter(w -> w.id().equals(id)).findFirst()
                .orElseThrow(() -> LatticeException.notFound("workloads:not-found", "workload '" + id + "' does not exist"));
    }

    List<DeploymentView> deployments() {
        List<WorkloadView> all = workloads();
        return deployments.list().stream().map(Versioned::value).sorted(Comparator.comparing(Deployment::name))
                .map(d -> view(d, all)).toList();
    }

    DeploymentView deployment(String name) {
        Deployment d = deployments.get(name).map(Versioned::value)
                .orElseThrow(() -> LatticeException.notFound("deployments:not-found", "deployment '" + name + "' does not exist"));
        return view(d, workloads());
    }

    static DeploymentView view(Deployment d, List<WorkloadView> all) {
        int running = (int) all.stream().filter(w -> w.deployment().equals(d.name()) && w.status().equals("RUNNING")).count();
        return new DeploymentView(d.name(), d.kind(), d.spec().command(), d.spec().image(), d.replicas(),
                d.spec().resources(), d.node(), shown(d.spec().env()), running, d.createdBy(), d.createdAt());
    }

    /**
     * An env as people may see it: credentials (an app instance's token, a model server's serve
     * key, any variable named like a secret) are shown to nobody, not even admins ({@link SecretEnv}).
     */
    static java.util.Map<String, String> shown(java.util.Map<String, String> env) {
        return SecretEnv.redacted(env);
    }
}
