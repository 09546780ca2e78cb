package dev.lattice.deployer;

import dev.lattice.bus.state.StateOwner;
import dev.lattice.bus.state.StateView;
import dev.lattice.bus.state.Versioned;
import dev.lattice.core.LatticeException;
import dev.lattice.workloads.Deployment;
import dev.lattice.workloads.Events;
import dev.lattice.workloads.Node;
import dev.lattice.workloads.NodeReport;
import dev.lattice.workloads.NodeStatus;
import dev.lattice.workloads.Workload;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the workloads match the deployments, level-triggered: each pass compares what is
 * desired (deployments, their replica counts and specs) with what is assigned (workloads) and
 * fixes the difference — creates and places missing replicas, deletes surplus ones and those of
 * deleted deployments, places pending ones, and moves workloads off nodes that are draining or
 * have been NOT_READY for {@code lostAfter}. A missed trigger is repaired by the next pass.
 * Runs on one thread; the only writer of workloads.
 */
final class Reconciler {
    private static final Logger log = LoggerFactory.getLogger(Reconciler.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final StateView<Deployment> deployments;
    private final StateOwner<Workload> workloads;
    private final StateView<Node> nodes;
    private final StateView<NodeReport> reports;
    private final Events events;
    private final Clock clock;
    private final DeployerConfig config;
    /** Workloads already announced as pending, so the event is said once, not every pass. */
    private final Set<String> announcedPending = new HashSet<>();

    Reconciler(StateView<Deployment> deployments, StateOwner<Workload> workloads, StateView<Node> nodes,
               StateView<NodeReport> reports, Events events, Clock clock, DeployerConfig config) {
        this.deployments = deployments;
        this.workloads = workloads;
        this.nodes = nodes;
        this.reports = reports;
        this.events = events;
        this.clock = clock;
        this.config = config;
    }

    void pass() {
        Instant now = clock.instant();
        Map<String, Versioned<Workload>> current = new HashMap<>();
        workloads.view().list().forEach(v -> current.put(v.name(), v));
        Map<String, Deployment> wanted = deployments.list().stream().map(Versioned::value)
                .collect(Collectors.toMap(Deployment::name, d -> d));
        Map<String, Node> nodeMap = nodes.list().stream().map(Versioned::value).collect(Collectors.toMap(Node::name, n -> n));
        Map<String, NodeReport> reportMap = reports.list().stream().map(Versioned::value)
                .collect(Collectors.toMap(NodeReport::node, r -> r));
        Map<String, Workload> live = new HashMap<>();
        current.forEach((id, v) -> live.put(id, v.value()));
        Placement.Cluster cluster = new Placement.Cluster(nodeMap.values(), reportMap, live.values());

        // 1. Workloads of deleted deployments, and replicas beyond the count, go.
        for (Versioned<Workload> v : List.copyOf(current.values())) {
            Deployment d = wanted.get(v.value().deployment());
            if (d == null || v.value().replica() >= d.replicas()) {
                if (delete(v)) {
                    current.remove(v.name());
                    live.remove(v.name());
                }
            }
        }
        // 2. Missing replicas are created and placed; a changed spec is rolled out replica by replica.
        for (Deployment d : wanted.values()) {
            Map<Integer, List<Versioned<Workload>>> byReplica = new HashMap<>();
            current.values().stream().filter(v -> v.value().deployment().equals(d.name()))
                    .forEach(v -> byReplica.computeIfAbsent(v.value().replica(), k -> new ArrayList<>()).add(v));
            boolean rolling = false; // one replica of a deployment at a time is being replaced
            for (int i = 0; i < d.replicas(); i++) {
                List<Versioned<Workload>> copies = byReplica.getOrDefault(i, List.of());
                if (copies.size() > 1 && copies.stream().anyMatch(v -> !v.value().spec().equals(d.spec()))) rolling = true;
            }
            for (int i = 0; i < d.replicas(); i++) {
                List<Versioned<Workload>> copies = byReplica.getOrDefault(i, List.of());
                if (copies.isEmpty()) {
                    create(d, i, cluster, live, now);
                    continue;
                }
                rolling |= roll(d, i, copies, reportMap, cluster, live, current, now, rolling);
            }
        }
        // 3. Pending workloads are placed; those on lost or draining nodes move.
        for (Workload w : List.copyOf(live.values())) {
            Deployment d = wanted.get(w.deployment());
            if (d == null) continue;
            Versioned<Workload> v = workloads.view().get(w.id()).orElse(null);
            if (v == null) continue;
            String why = w.node() == null ? null : leaving(nodeMap.get(w.node()), now);
            if (w.node() != null && why == null) continue;
            Set<String> exclude = w.node() == null ? Set.of() : Set.of(w.node());
            Optional<String> target = Placement.choose(cluster, w, d.node(), exclude);
            if (target.isPresent()) {
                Workload moved = w.placedOn(target.get(), now);
                if (write(w.id(), v.version(), moved)) {
                    live.put(w.id(), moved);
                    announcedPending.remove(w.id());
                    if (w.node() == null) events.publish("placed", "workload/" + w.id(), "replica " + w.replica() + " of " + d.name() + " on " + target.get());
                    else events.publish("rescheduled", "workload/" + w.id(), "moved from " + w.node() + " (" + why + ") to " + target.get());
                }
            } else if (w.node() != null && !why.startsWith("draining")) {
                // Lost node and nowhere to go: pending, so it starts as soon as any node can take it.
                Workload orphan = w.placedOn(null, now);
                if (write(w.id(), v.version(), orphan)) {
                    live.put(w.id(), orphan);
                    pending(cluster, orphan, d);
                }
            } else if (w.node() == null) {
                pending(cluster, w, d);
            }
        }
        announcedPending.retainAll(live.keySet());
    }

    private void create(Deployment d, int replica, Placement.Cluster cluster, Map<String, Workload> live, Instant now) {
        Workload w = new Workload(newId(d.name()), d.name(), d.kind(), replica, null, d.spec(), now);
        Optional<String> node = Placement.choose(cluster, w, d.node(), Set.of());
        w = w.placedOn(node.orElse(null), now);
        if (write(w.id(), 0, w)) {
            live.put(w.id(), w);
            if (node.isPresent()) events.publish("placed", "workload/" + w.id(), "replica " + replica + " of " + d.name() + " on " + node.get());
            else pending(cluster, w, d);
        }
    }

    /**
     * Rolls a changed spec onto one replica without a moment where it does not serve: while the
     * old copy is ready, a new copy is made beside it (one replica of a deployment at a time) and
     * the old one goes only once the new one is ready. An old copy that is not ready (crashed,
     * pending, still starting) is replaced at once: nothing is lost by it. Returns whether a
     * replacement of this replica is under way.
     */
    private boolean roll(Deployment d, int replica, List<Versioned<Workload>> copies, Map<String, NodeReport> reportMap,
                         Placement.Cluster cluster, Map<String, Workload> live, Map<String, Versioned<Workload>> current,
                         Instant now, boolean anotherRolling) {
        List<Versioned<Workload>> fresh = copies.stream().filter(v -> v.value().spec().equals(d.spec())).toList();
        List<Versioned<Workload>> stale = copies.stream().filter(v -> !v.value().spec().equals(d.spec())).toList();
        boolean freshReady = fresh.stream().anyMatch(v -> ready(v.value(), reportMap));
        for (Versioned<Workload> extra : fresh.subList(Math.min(1, fresh.size()), fresh.size())) retire(extra, current, live);
        if (stale.isEmpty()) return false;
        boolean staleReady = stale.stream().anyMatch(v -> ready(v.value(), reportMap));
        if (fresh.isEmpty() && staleReady) {
            if (anotherRolling) return false; // wait for the replica being replaced
            create(d, replica, cluster, live, now);
            events.publish("rolling", "deployment/" + d.name(), "replacing replica " + replica + " with the new spec");
            return true;
        }
        if (fresh.isEmpty()) { // nothing serves from this replica: replace in place
            Versioned<Workload> old = stale.get(0);
            Workload w = new Workload(old.value().id(), d.name(), d.kind(), replica, old.value().node(), d.spec(), now);
            if (write(w.id(), old.version(), w)) live.put(w.id(), w);
            for (Versioned<Workload> more : stale.subList(1, stale.size())) retire(more, current, live);
            return false;
        }
        if (freshReady || !staleReady) {
            for (Versioned<Workload> old : stale) retire(old, current, live);
            return false;
        }
        return true;
    }

    private void retire(Versioned<Workload> v, Map<String, Versioned<Workload>> current, Map<String, Workload> live) {
        if (delete(v)) {
            current.remove(v.name());
            live.remove(v.name());
        }
    }

    /** Ready: its node's agent reports it RUNNING (for a workload that serves HTTP: answering its ready path). */
    static boolean ready(Workload w, Map<String, NodeReport> reports) {
        if (w.node() == null) return false;
        NodeReport r = reports.get(w.node());
        if (r == null) return false;
        for (NodeReport.Running run : r.workloads()) {
            if (run.id().equals(w.id())) return run.status() == dev.lattice.workloads.WorkloadStatus.RUNNING;
        }
        return false;
    }

    /** Why workloads must leave {@code node}, or null if they may stay. */
    private String leaving(Node node, Instant now) {
        if (node == null) return "node unknown";
        if (node.status() == NodeStatus.DRAINING) return "draining";
        if (node.status() == NodeStatus.NOT_READY && !node.statusSince().plus(config.lostAfter()).isAfter(now))
            return "NOT_READY for " + (now.toEpochMilli() - node.statusSince().toEpochMilli()) / 1000 + " s";
        return null;
    }

    private void pending(Placement.Cluster cluster, Workload w, Deployment d) {
        if (announcedPending.add(w.id())) {
            events.publish("pending", "workload/" + w.id(), "cannot be placed: " + Placement.whyNot(cluster, w, d.node()));
        }
    }

    private boolean write(String id, long version, Workload w) {
        try {
            if (version == 0) workloads.create(id, w, "deployer");
            else workloads.update(id, version, w, "deployer");
            return true;
        } catch (LatticeException e) {
            log.warn("workload {}: {} (the next pass retries)", id, e.getMessage());
            return false;
        }
    }

    private boolean delete(Versioned<Workload> v) {
        try {
            workloads.delete(v.name(), v.version(), "deployer");
            events.publish("removed", "workload/" + v.name(), "replica " + v.value().replica() + " of " + v.value().deployment() + " removed");
            return true;
        } catch (LatticeException e) {
            log.warn("workload {}: {} (the next pass retries)", v.name(), e.getMessage());
            return false;
        }
    }

    private static String newId(String deployment) {
        byte[] b = new byte[3];
        RANDOM.nextBytes(b);
        return deployment + "-" + HexFormat.of().formatHex(b).substring(0, 5);
    }

    List<String> pendingIds() {
        return new ArrayList<>(announcedPending);
    }
}
