package dev.lattice.nodes;

import dev.lattice.api.monitor.HealthReport;
import dev.lattice.api.repository.Endpoint;
import dev.lattice.bus.Bus;
import dev.lattice.bus.Topics;
import dev.lattice.bus.metrics.MetricsTarget;
import dev.lattice.bus.identity.KafkaIdentities;
import dev.lattice.bus.rpc.Handler;
import dev.lattice.bus.rpc.Request;
import dev.lattice.bus.state.StateOwner;
import dev.lattice.bus.state.StateView;
import dev.lattice.bus.state.Versioned;
import dev.lattice.core.LatticeException;
import dev.lattice.core.Names;
import dev.lattice.core.Role;
import dev.lattice.core.SecretTokens;
import dev.lattice.workloads.AgentCommands;
import dev.lattice.workloads.Events;
import dev.lattice.workloads.JoinToken;
import dev.lattice.workloads.Node;
import dev.lattice.workloads.NodeCommands;
import dev.lattice.workloads.NodeReport;
import dev.lattice.workloads.NodeStatus;
import dev.lattice.workloads.Workload;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Join tokens, and hosts joining with them: the node manager gives each joining agent a Kafka
 * identity of its own ({@code node.NAME}), allowed only what an agent needs — its node's reports,
 * events and RPC replies to write; assignments, health and endpoints to read — so a host that is
 * taken over cannot write users, deployments or anything else the control plane owns.
 */
final class NodeJoining {
    private static final Logger log = LoggerFactory.getLogger(NodeJoining.class);

    private final StateOwner<JoinToken> tokens;
    private final StateView<Node> nodes;
    private final Bus bus;
    private final Events events;
    private final Clock clock;

    NodeJoining(StateOwner<JoinToken> tokens, StateView<Node> nodes, Bus bus, Events events, Clock clock) {
        this.tokens = tokens;
        this.nodes = nodes;
        this.bus = bus;
        this.events = events;
        this.clock = clock;
    }

    /** The Kafka user of {@code node}'s agent. */
    static String username(String node) {
        return "node." + node;
    }

    /** What an agent of {@code node} may touch on Kafka, and nothing more. */
    static KafkaIdentities.Grants grants(String node) {
        String service = AgentCommands.service(node);
        return new KafkaIdentities.Grants(
                List.of(Workload.topic(node), Topics.state(HealthReport.KIND), Topics.state(Endpoint.KIND), Topics.requests(service),
                        Topics.state(dev.lattice.api.auth.SigningKey.KIND)), // auth's public keys: to check whom a log request is for
                List.of(NodeReport.topic(node).name(), Topics.state(MetricsTarget.KIND), Events.TOPIC, Topics.replies("") + "*"),
                List.of(Topics.HEARTBEATS, Topics.HEALTH),
                List.of(Bus.requestGroup(service)));
    }

    /** Makes {@code node}'s own topics: its agent may write its reports and read its workloads, not make them. */
    static void ensureTopics(Bus bus, String node) {
        ensureTopics(bus, List.of(node));
    }

    private static void ensureTopics(Bus bus, List<String> nodes) {
        bus.ensure(nodes.stream().map(NodeReport::topic).toList(), nodes.stream().map(Workload::topic).toList());
    }

    /**
     * Gives every node's Kafka user the grants of this version: a host that joined before an
     * upgrade keeps its credential, and its ACLs follow what its agent now does (its own report
     * and workload topics, made here in one round). Changes only what differs, so a restart of the
     * node manager refuses nobody for a moment. A cluster that cannot list its users is logged, not fatal.
     */
    void refreshGrants() {
        try {
            Map<String, KafkaIdentities.Grants> current = new java.util.TreeMap<>();
            List<String> joined = new java.util.ArrayList<>();
            for (String user : bus.identities().users()) {
                if (!user.startsWith("node.")) continue;
                String node = user.substring("node.".length());
                joined.add(node);
                current.put(user, grants(node));
            }
            if (current.isEmpty()) return;
            ensureTopics(bus, joined);
            bus.identities().setGrants(current);
        } catch (RuntimeException e) {
            log.warn("could not bring the Kafka users of joined nodes up to date: {}", e.getMessage());
        }
    }

    /** Makes the token {@code lattice up} keeps in {@code DATA/join-token}, once: revoked, it stays revoked. */
    void ensureInitial(String sha256) {
        if (sha256 == null || tokens.view().get(JoinToken.INITIAL).isPresent()) return;
        tokens.create(JoinToken.INITIAL, new JoinToken(JoinToken.INITIAL, "made by lattice up (DATA/join-token)", sha256,
                clock.instant(), "lattice-up", null, false), "nodes");
    }

    Map<String, Handler> handlers() {
        return Map.of(NodeCommands.CREATE_JOIN_TOKEN, this::create, NodeCommands.LIST_JOIN_TOKENS, this::list,
                NodeCommands.REVOKE_JOIN_TOKEN, this::revoke, NodeCommands.JOIN, this::join);
    }

    private NodeCommands.IssuedJoinToken create(Request request) {
        request.require(Role.ADMIN);
        var in = request.payload(NodeCommands.NewJoinToken.class);
        String name = in == null || in.name() == null || in.name().isBlank() ? "join token" : in.name().strip();
        if (name.length() > 100) throw LatticeException.badRequest("nodes:join-token.name", "name: at most 100 characters");
        Instant expiresAt = in == null ? null : in.expiresAt();
        if (expiresAt != null && !expiresAt.isAfter(clock.instant())) {
            throw LatticeException.badRequest("nodes:join-token.expired", "expiresAt: " + expiresAt + " is not in the future");
        }
        String id = SecretTokens.newId();
        String token = SecretTokens.newToken(JoinToken.PREFIX, id);
        tokens.create(id, new JoinToken(id, name, SecretTokens.hash(token), clock.instant(), request.principal().name(), expiresAt, false),
                request.principal().name());
        return new NodeCommands.IssuedJoinToken(id, token, name, expiresAt);
    }

    private List<JoinToken.Info> list(Request request) {
        request.require(Role.ADMIN);
        return tokens.view().list().stream().map(v -> v.value().info())
                .sorted(Comparator.comparing(JoinToken.Info::createdAt).reversed()).toList();
    }

    private JoinToken.Info revoke(Request request) {
        request.require(Role.ADMIN);
        String id = request.payload(NodeCommands.JoinTokenId.class).id();
        Versioned<JoinToken> current = tokens.view().get(id == null ? "" : id)
                .orElseThrow(() -> LatticeException.notFound("nodes:join-token.not-found", "join token '" + id + "' does not exist"));
        JoinToken t = current.value();
        if (t.revoked()) return t.info();
        JoinToken next = new JoinToken(t.id(), t.name(), t.sha256(), t.createdAt(), t.createdBy(), t.expiresAt(), true);
        tokens.update(id, current.version(), next, request.principal().name());
        return next.info();
    }

    /**
     * A host's agent trades a join token for its node's Kafka identity (a fresh password each
     * time: an agent keeps it, so it joins once). Refused: an unknown, revoked or expired token; a
     * control-plane node's name; the name of a node whose agent is reporting now.
     */
    private NodeCommands.Joined join(Request request) {
        var in = request.payload(NodeCommands.JoinRequest.class);
        Names.requirePresent("token", in == null ? null : in.token());
        Names.requireName("node", in.node());
        if (!usable(in.token())) {
            throw LatticeException.unauthorized("the join token is unknown, revoked or expired");
        }
        String node = in.node();
        var existing = nodes.get(node).map(Versioned::value);
        if (existing.isPresent() && existing.get().labels().contains(Node.CONTROL_PLANE)) {
            throw LatticeException.conflict("nodes:join.control-plane", "node '" + node + "' is a control-plane node; choose another name");
        }
        if (existing.isPresent() && existing.get().status() != NodeStatus.NOT_READY) {
            throw LatticeException.conflict("nodes:join.running", "node '" + node + "' is " + existing.get().status()
                    + ": its agent is running; stop it first, or choose another name");
        }
        bus.ensureRequestTopic(AgentCommands.service(node));
        ensureTopics(bus, node);
        KafkaIdentities.Credential credential = bus.identities().grant(username(node), grants(node));
        String tokenId = SecretTokens.idOf(JoinToken.PREFIX, in.token()).orElseThrow();
        events.publish("node-identity", "node/" + node, "Kafka identity " + credential.username() + " given (join token " + tokenId + ")");
        log.info("node {} joined with join token {}: Kafka user {}", node, tokenId, credential.username());
        return new NodeCommands.Joined(node, bus.config().bootstrapServers(), credential.username(), credential.password(),
                KafkaIdentities.MECHANISM);
    }

    private boolean usable(String token) {
        return SecretTokens.idOf(JoinToken.PREFIX, token).flatMap(id -> tokens.view().get(id)).map(Versioned::value)
                .filter(t -> t.usableAt(clock.instant()) && SecretTokens.matches(token, t.sha256())).isPresent();
    }
}
