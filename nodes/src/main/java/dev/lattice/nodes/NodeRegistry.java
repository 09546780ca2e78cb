package dev.lattice.nodes;

import dev.lattice.bus.rpc.Handler;
import dev.lattice.bus.rpc.Request;
import dev.lattice.bus.state.StateOwner;
import dev.lattice.bus.state.StateView;
import dev.lattice.bus.state.Versioned;
import dev.lattice.core.LatticeException;
import dev.lattice.core.Role;
import dev.lattice.workloads.Events;
import dev.lattice.workloads.Node;
import dev.lattice.workloads.NodeCommands;
import dev.lattice.workloads.NodeReport;
import dev.lattice.workloads.NodeStatus;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node registry: registers a node at its agent's first report, and keeps its status true to
 * its agent's reports — NOT_READY after {@code silence} without one, READY (or DRAINING) again as
 * soon as they return. Silence is measured by this service's own clock on arrival, never by the
 * agent's timestamps, so clock skew between hosts cannot make a node look alive or dead.
 */
final class NodeRegistry {
    private static final Logger log = LoggerFactory.getLogger(NodeRegistry.class);

    private final StateOwner<Node> nodes;
    private final StateView<NodeReport> reports;
    private final Events events;
    private final Clock clock;
    private final NodesConfig config;
    private final Map<String, Instant> lastHeard = new ConcurrentHashMap<>();
    /** Whether the last pass held the statuses ({@link #busSilent}); for the log. */
    private boolean holding;
    /** Nodes not to register again from a report: those being removed. */
    private volatile java.util.function.Predicate<String> skip = name -> false;

    NodeRegistry(StateOwner<Node> nodes, StateView<NodeReport> reports, Events events, Clock clock, NodesConfig config) {
        this.nodes = nodes;
        this.reports = reports;
        this.events = events;
        this.clock = clock;
        this.config = config;
        // What was in the log before this start counts as heard now: a restarted node manager must
        // not declare every node lost, and it gives silent ones the usual grace.
        Instant now = clock.instant();
        for (var r : reports.list()) lastHeard.put(r.name(), now);
        reports.onChange(c -> {
            if (c.after().isPresent()) lastHeard.put(c.name(), clock.instant());
        });
    }

    /** Names whose reports must not register a node (a node under removal whose agent still reports). */
    void skip(java.util.function.Predicate<String> names) {
        this.skip = names;
    }

    Map<String, Handler> handlers() {
        return Map.of(NodeCommands.DRAIN, r -> drain(r, true), NodeCommands.UNDRAIN, r -> drain(r, false));
    }

    private Node drain(Request request, boolean drain) {
        request.require(Role.ADMIN);
        String name = request.payload(NodeCommands.NodeName.class).name();
        Versioned<Node> current = nodes.view().get(name)
                .orElseThrow(() -> LatticeException.notFound("nodes:not-found", "node '" + name + "' does not exist"));
        if (current.value().draining() == drain) return current.value();
        Node next = current.value().withDraining(drain, clock.instant());
        nodes.update(name, current.version(), next, request.principal().name());
        events.publish(drain ? "draining" : "undrained", "node/" + name,
                drain ? "draining: its workloads move to other nodes" : "takes workloads again");
        return next;
    }

    /**
     * Whether the silence is the bus's, not the nodes': several nodes that were alive have all gone
     * unheard for {@code silence} at once. A broker lost from a cluster stalls every producer's
     * acknowledgements for ~9 s (MultiHostIT), and with them every agent's report; declaring every
     * node lost then would move every workload for nothing. As Kubernetes' node controller stops
     * evicting when a whole zone goes silent, the statuses are held until reports arrive again. One
     * node alone cannot be told from the bus: its silence counts.
     */
    static boolean busSilent(java.util.Collection<Instant> aliveNodesHeard, Instant now, java.time.Duration silence) {
        return aliveNodesHeard.size() >= 2 && aliveNodesHeard.stream().noneMatch(h -> h.plus(silence).isAfter(now));
    }

    /** One pass: registers new nodes and moves each node's status to what its reports say. */
    void check() {
        Instant now = clock.instant();
        java.util.Set<String> names = new java.util.TreeSet<>();
        reports.list().forEach(r -> names.add(r.name()));
        nodes.view().list().forEach(n -> names.add(n.name()));
        List<Instant> aliveHeard = nodes.view().list().stream().map(Versioned::value)
                .filter(n -> n.status() != NodeStatus.NOT_READY && reports.get(n.name()).isPresent())
                .map(n -> lastHeard.getOrDefault(n.name(), now)).toList();
        boolean hold = busSilent(aliveHeard, now, config.silence());
        if (hold != holding) {
            holding = hold;
            if (hold) log.warn("no report from any of {} nodes for {} ms: the bus seems stalled, node statuses held", aliveHeard.size(),
                    config.silence().toMillis());
            else log.info("reports arrive again: node statuses follow them");
        }
        for (String name : names) {
            var report = reports.get(name).map(Versioned::value);
            // A node whose agent withdrew its report (a clean shutdown) is as silent as a lost one.
            Instant heard = report.isPresent() ? lastHeard.getOrDefault(name, now) : Instant.EPOCH;
            boolean alive = heard.plus(config.silence()).isAfter(now);
            var current = nodes.view().get(name);
            try {
                if (current.isEmpty()) {
                    if (!alive || skip.test(name)) continue;
                    var rep = report.get();
                    nodes.create(name, new Node(name, NodeStatus.READY, rep.runtime(), rep.labels(), rep.cpus(),
                            rep.memoryTotalMb(), false, now), "nodes");
                    events.publish("node-joined", "node/" + name, "joined: " + rep.runtime() + " runtime, " + rep.cpus()
                            + " cpus, " + rep.memoryTotalMb() + " MiB, labels " + rep.labels());
                    continue;
                }
                Node node = current.get().value();
                NodeStatus want = !alive ? NodeStatus.NOT_READY : node.draining() ? NodeStatus.DRAINING : NodeStatus.READY;
                if (hold && want == NodeStatus.NOT_READY && node.status() != NodeStatus.NOT_READY) want = node.status();
                Node next = report.map(node::describedBy).orElse(node);
                if (want != node.status()) next = next.withStatus(want, now);
                if (!next.equals(node)) {
                    nodes.update(name, current.get().version(), next, "nodes");
                    if (want != node.status()) {
                        if (want == NodeStatus.NOT_READY) events.publish("node-not-ready", "node/" + name,
                                "no report for " + config.silence().toMillis() + " ms");
                        else events.publish("node-ready", "node/" + name, "reports again");
                    }
                }
            } catch (LatticeException e) {
                log.debug("node {}: {} (next pass retries)", name, e.getMessage());
            }
        }
    }
}
