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
        // 2. Missing replicas are created and placed; changed specs are rolled onto the workload.
        for (Deployment d : wanted.values()) {
            Map<Integer, Versioned<Workload>> byReplica = new HashMap<>();
            current.values().stream().filter(v -> v.value().deployment().equals(d.name()))
                    .forEach(v -> byReplica.put(v.value().replica(), v));
            for (int i = 0; i < d.replicas(); i++) {
                Versioned<Workload> existing = byReplica.get(i);
                if (existing == null) {
                    Workload w = new Workload(newId(d.name()),
                            d.name(), d.kind(), i, null, d.spec(), now);
                    Optional<String> node = Placement.choose(cluster, w, d.node(), Set.of());
                    w = w.placedOn(node.orElse(null), now);
                    if (write(w.id(), 0, w)) {
                        live.put(w.id(), w);
                        if (node.isPresent()) events.publish("placed", "workload/" + w.id(), "replica " + i + " of " + d.name() + " on " + node.get());
                        else pending(cluster, w, d);
                    }
                } else if (!existing.value().spec().equals(d.spec())) {
                    Workload w = new Workload(existing.value().id(), d.name(), d.kind(), i, existing.value().node(), d.spec(), now);
                    if (write(w.id(), existing.version(), w)) live.put(w.id(), w);
                }
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
