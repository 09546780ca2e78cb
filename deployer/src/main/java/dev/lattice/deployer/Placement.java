package dev.lattice.deployer;

import dev.lattice.workloads.Node;
import dev.lattice.workloads.NodeReport;
import dev.lattice.workloads.NodeStatus;
import dev.lattice.workloads.Resources;
import dev.lattice.workloads.Workload;
import dev.lattice.workloads.WorkloadSpec;
import java.util.Collection;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where a workload should run: filter, then score (as Kubernetes' scheduler does).
 *
 * <p>Filter: the node is READY (not silent, not draining), its runtime can run the spec (images
 * need docker), it is the pinned node if there is one, and what the workloads already on it
 * reserve plus this one's request fits its capacity.
 *
 * <p>Score (lowest wins), in three tiers:
 * <ol>
 *   <li>busy: a node whose placed workloads keep more than {@value #BUSY} of its cores busy
 *       takes new workloads only when no calmer node can (the platform's own services on a
 *       control-plane node are its baseline, not a reason to pass it over: they burn CPU while
 *       they warm up, right when the first deployments arrive);</li>
 *   <li>spread: {@value #SPREAD} per replica of the same deployment already on the node, so
 *       replicas go to different nodes when they can;</li>
 *   <li>load: measured CPU load (fraction of the node's cores) + measured memory use (fraction
 *       of its memory) + {@value #CROWD} per workload already there + half the fraction of its
 *       cores already reserved.</li>
 * </ol>
 * Measurements lag placements by a second or two, so the workload count and reservations keep
 * a burst of placements from piling onto the node that looked idlest. Load differences between
 * calm nodes (a control-plane node's services, a GC, a start-up) do not outweigh spreading:
 * on one machine simulating several nodes they are mostly noise.
 */
final class Placement {
    static final double BUSY = 0.5;
    static final double SPREAD = 1.0;
    static final double CROWD = 0.05;

    private Placement() {}

    /** The view of the cluster that one decision needs. */
    record Cluster(Collection<Node> nodes, Map<String, NodeReport> reports, Collection<Workload> workloads) {}

    static Optional<String> choose(Cluster cluster, Workload w, String pin, Set<String> exclude) {
        return cluster.nodes().stream()
                .filter(n -> n.status() == NodeStatus.READY)
                .filter(n -> !exclude.contains(n.name()))
                .filter(n -> pin == null || pin.equals(n.name()))
                .filter(n -> runs(n, w.spec()))
                .filter(n -> fits(cluster, n, w))
                .min(Comparator.comparingDouble((Node n) -> score(cluster, n, w)).thenComparing(Node::name))
                .map(Node::name);
    }

    /** Why nothing fits, for the event that says a workload is pending. */
    static String whyNot(Cluster cluster, Workload w, String pin) {
        if (cluster.nodes().stream().noneMatch(n -> n.status() == NodeStatus.READY)) return "no READY node";
        if (pin != null && cluster.nodes().stream().noneMatch(n -> n.name().equals(pin) && n.status() == NodeStatus.READY))
            return "pinned node " + pin + " is not READY";
        if (w.spec().needsDocker() && cluster.nodes().stream().noneMatch(n -> "docker".equals(n.runtime())))
            return "an image needs a docker node, and none has joined";
        return "no READY node has " + w.spec().resources().cpu() + " cpu and " + w.spec().resources().memoryMb() + " MiB free";
    }

    private static boolean runs(Node n, WorkloadSpec spec) {
        return !spec.needsDocker() || "docker".equals(n.runtime());
    }

    private static boolean fits(Cluster cluster, Node n, Workload w) {
        Resources want = w.spec().resources();
        if (want.cpu() == 0 && want.memoryMb() == 0) return true;
        Resources used = reserved(cluster, n.name(), w.id());
        return used.cpu() + want.cpu() <= n.cpus() + 1e-9 && used.memoryMb() + (long) want.memoryMb() <= n.memoryTotalMb();
    }

    private static Resources reserved(Cluster cluster, String node, String except) {
        Resources sum = Resources.NONE;
        for (Workload o : cluster.workloads()) {
            if (node.equals(o.node()) && !o.id().equals(except)) sum = sum.plus(o.spec().resources());
        }
        return sum;
    }

    static double score(Cluster cluster, Node n, Workload w) {
        NodeReport r = cluster.reports().get(n.name());
        double cpu = r == null ? 0 : r.cpuLoad();
        double placedCpu = r == null ? 0 : r.placedCpuLoad();
        double mem = r == null || r.memoryTotalMb() <= 0 ? 0 : (double) r.memoryUsedMb() / r.memoryTotalMb();
        long siblings = 0;
        long crowd = 0;
        for (Workload o : cluster.workloads()) {
            if (!n.name().equals(o.node()) || o.id().equals(w.id())) continue;
            crowd++;
            if (o.deployment().equals(w.deployment())) siblings++;
        }
        double reservedCpu = n.cpus() <= 0 ? 0 : reserved(cluster, n.name(), w.id()).cpu() / n.cpus();
        return (placedCpu > BUSY ? 100 : 0) + SPREAD * siblings + cpu + mem + CROWD * crowd + 0.5 * reservedCpu;
    }
}
