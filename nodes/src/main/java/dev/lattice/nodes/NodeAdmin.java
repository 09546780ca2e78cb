package dev.lattice.nodes;

import dev.lattice.bus.Bus;
import dev.lattice.bus.rpc.Handler;
import dev.lattice.bus.rpc.Request;
import dev.lattice.bus.state.StateOwner;
import dev.lattice.bus.state.StateReporter;
import dev.lattice.bus.state.StateView;
import dev.lattice.bus.state.Versioned;
import dev.lattice.core.LatticeException;
import dev.lattice.core.Names;
import dev.lattice.core.Role;
import dev.lattice.workloads.AgentCommands;
import dev.lattice.workloads.DockerNode;
import dev.lattice.workloads.Events;
import dev.lattice.workloads.Node;
import dev.lattice.workloads.NodeCommands;
import dev.lattice.workloads.NodeRemoval;
import dev.lattice.workloads.NodeReport;
import dev.lattice.workloads.NodeStatus;
import dev.lattice.workloads.Workload;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Nodes an admin adds and removes by the API: a remote Docker server made a node (its agent run by
 * a control-plane node's agent against the engine, with a Kafka identity of the node's own), and
 * the removal of any node but a control-plane one — drained first, forgotten once nothing is
 * assigned to it: its Kafka identity revoked, its remote agent stopped, its report and record gone.
 */
final class NodeAdmin {
    private static final Logger log = LoggerFactory.getLogger(NodeAdmin.class);
    /** How long a removed node's agent may take to withdraw its report before the manager clears it. */
    private static final Duration WITHDRAW_GRACE = Duration.ofSeconds(15);

    private final StateOwner<DockerNode> dockerNodes;
    private final StateOwner<NodeRemoval> removals;
    private final StateOwner<Node> nodes;
    private final StateView<Workload> assignments;
    private final StateView<NodeReport> reports;
    private final StateReporter<NodeReport> reportWriter;
    private final Bus bus;
    private final Events events;
    private final Clock clock;

    NodeAdmin(StateOwner<DockerNode> dockerNodes, StateOwner<NodeRemoval> removals, StateOwner<Node> nodes,
              StateView<Workload> assignments, StateView<NodeReport> reports, Bus bus, Events events, Clock clock) {
        this.dockerNodes = dockerNodes;
        this.removals = removals;
        this.nodes = nodes;
        this.assignments = assignments;
        this.reports = reports;
        this.reportWriter = bus.reporter(NodeReport.KIND);
        this.bus = bus;
        this.events = events;
        this.clock = clock;
    }

    Map<String, Handler> handlers() {
        return Map.of(NodeCommands.ADD_DOCKER_NODE, this::add, NodeCommands.REMOVE_NODE, this::remove);
    }

    /**
     * Registers a remote Docker server: its TLS material checked here (a typo is a 400 now, not a
     * node that never comes), its agent given to the first READY control-plane node, and a Kafka
     * identity made for it, as for a joining host. The node itself appears with its agent's first report.
     */
    private NodeCommands.DockerNodeInfo add(Request request) {
        request.require(Role.ADMIN);
        var in = request.payload(NodeCommands.NewDockerNode.class);
        if (in == null) throw LatticeException.badRequest("nodes:docker.body", "a JSON body with name and docker is needed");
        Names.requireName("name", in.name());
        var access = DockerAccessCheck.check(in.docker());
        var labels = DockerAccessCheck.labels(in.labels());
        String name = in.name();
        if (nodes.view().get(name).isPresent() || dockerNodes.view().get(name).isPresent())
            throw LatticeException.conflict("nodes:exists", "node '" + name + "' exists already");
        if (removals.view().get(name).isPresent())
            throw LatticeException.conflict("nodes:removing", "node '" + name + "' is being removed; add it again once it is gone");
        String agentOn = nodes.view().list().stream().map(Versioned::value)
                .filter(n -> n.labels().contains(Node.CONTROL_PLANE) && n.status() == NodeStatus.READY)
                .map(Node::name).min(Comparator.naturalOrder())
                .orElseThrow(() -> LatticeException.conflict("nodes:docker.no-control-plane",
                        "no control-plane node is READY to run the new node's agent"));
        bus.ensureRequestTopic(AgentCommands.service(name));
        NodeJoining.ensureTopics(bus, name);
        var credential = bus.identities().grant(NodeJoining.username(name), NodeJoining.grants(name));
        DockerNode node = new DockerNode(name, access.host(), access.ca(), access.cert(), access.key(), labels, agentOn,
                credential.username(), credential.password(), clock.instant(), request.principal().name());
        dockerNodes.create(name, node, request.principal().name());
        events.publish("node-added", "node/" + name, "Docker server " + access.host() + " added; its agent runs on " + agentOn);
        log.info("node {}: Docker server {} added by {}, agent on {}", name, access.host(), request.principal().name(), agentOn);
        return node.info();
    }

    /** Starts a node's removal: drained now, forgotten by {@link #check} once nothing is assigned to it. */
    private Node remove(Request request) {
        request.require(Role.ADMIN);
        String name = request.payload(NodeCommands.NodeName.class).name();
        var node = nodes.view().get(name);
        var docker = dockerNodes.view().get(name);
        if (node.isEmpty() && docker.isEmpty())
            throw LatticeException.notFound("nodes:not-found", "node '" + name + "' does not exist");
        if (node.isPresent() && node.get().value().labels().contains(Node.CONTROL_PLANE))
            throw LatticeException.conflict("nodes:control-plane", "node '" + name + "' runs the platform's services: it cannot be removed");
        if (removals.view().get(name).isEmpty())
            removals.create(name, new NodeRemoval(name, clock.instant(), request.principal().name(), null), request.principal().name());
        Node current = node.map(Versioned::value).orElse(null);
        if (current != null && !current.draining()) {
            Node next = current.withDraining(true, clock.instant());
            nodes.update(name, node.get().version(), next, request.principal().name());
            current = next;
        }
        events.publish("node-removing", "node/" + name, "removing: drained, then forgotten");
        return current != null ? current : new Node(name, NodeStatus.NOT_READY, "docker", docker.get().value().labels(), 0, 0, true,
                clock.instant());
    }

    /**
     * One pass over the removals under way. Once nothing is assigned to the node: its remote agent's
     * record goes (the control-plane agent stops that agent, which withdraws its report) and its
     * Kafka identity is revoked, once; then, when its report is gone (or after a grace, for an agent
     * that cannot withdraw it any more), the node is forgotten.
     */
    void check() {
        Instant now = clock.instant();
        for (Versioned<NodeRemoval> r : removals.view().list()) {
            String name = r.name();
            try {
                NodeRemoval removal = r.value();
                if (removal.revokedAt() == null) {
                    if (assignments.list().stream().anyMatch(w -> name.equals(w.value().node()))) continue; // still draining
                    var docker = dockerNodes.view().get(name);
                    if (docker.isPresent()) dockerNodes.delete(name, docker.get().version(), "nodes");
                    bus.identities().revoke(NodeJoining.username(name));
                    removals.update(name, r.version(), removal.revoked(now), "nodes");
                    continue;
                }
                var report = reports.get(name);
                if (report.isPresent() && removal.revokedAt().plus(WITHDRAW_GRACE).isAfter(now)) continue;
                if (report.isPresent()) reportWriter.remove(name); // an agent that did not withdraw it (a joined host's)
                var node = nodes.view().get(name);
                if (node.isPresent()) nodes.delete(name, node.get().version(), "nodes");
                removals.delete(name, r.version(), "nodes");
                events.publish("node-removed", "node/" + name, "drained and forgotten");
                log.info("node {} removed", name);
            } catch (LatticeException | IllegalStateException e) {
                log.debug("removal of node {}: {} (next pass retries)", name, e.getMessage());
            }
        }
    }

    /** Whether {@code name} is being removed: its reports must not bring it back. */
    boolean removing(String name) {
        return removals.view().get(name).isPresent();
    }
}
