package dev.lattice.nodes;

import dev.lattice.api.auth.VerifiedCaller;
import dev.lattice.bus.Bus;
import dev.lattice.bus.loop.ControlLoop;
import dev.lattice.bus.heartbeat.Heartbeat;
import dev.lattice.bus.rpc.Handler;
import dev.lattice.workloads.DockerNode;
import dev.lattice.workloads.Events;
import dev.lattice.workloads.NodeRemoval;
import dev.lattice.workloads.Workload;
import dev.lattice.workloads.JoinToken;
import java.util.HashMap;
import java.util.Map;
import dev.lattice.workloads.Node;
import dev.lattice.workloads.NodeReport;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the node manager:
 * <ol>
 *   <li>connects to Kafka and starts the heartbeat;</li>
 *   <li>becomes the owner of kind {@code node} and follows the agents' {@code node-report}s;</li>
 *   <li>checks every node's liveness four times a second;</li>
 *   <li>serves drain and undrain, join tokens and joining hosts ({@link NodeJoining}), remote
 *       Docker servers added and nodes removed ({@link NodeAdmin}) on {@code lattice.requests.nodes},
 *       and reports UP.</li>
 * </ol>
 * The workloads of a node that stays NOT_READY are moved by the deployer, which follows kind {@code node}.
 */
public final class NodesMain implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NodesMain.class);
    private final Bus bus;
    private final ControlLoop timer;

    private NodesMain(Bus bus, ControlLoop timer) {
        this.bus = bus;
        this.timer = timer;
    }

    public static NodesMain start(Bus bus, NodesConfig config) {
        try {
            var heartbeat = bus.heartbeat();
            var nodes = bus.own(Node.KIND, Node.class, Duration.ofSeconds(60));
            var reports = bus.view(NodeReport.KIND, NodeReport.class);
            reports.awaitCaughtUp(Duration.ofSeconds(60));
            ReportRelay.start(bus);
            var registry = new NodeRegistry(nodes, reports, Events.of(bus), bus.clock(), config);
            var joining = new NodeJoining(bus.own(JoinToken.KIND, JoinToken.class, Duration.ofSeconds(60)), nodes.view(), bus,
                    Events.of(bus), bus.clock());
            joining.ensureInitial(config.initialJoinTokenSha256());
            joining.refreshGrants();
            var admin = new NodeAdmin(bus.own(DockerNode.KIND, DockerNode.class, Duration.ofSeconds(60)),
                    bus.own(NodeRemoval.KIND, NodeRemoval.class, Duration.ofSeconds(60)), nodes,
                    bus.view(Workload.KIND, Workload.class), reports, bus, Events.of(bus), bus.clock());
            registry.skip(admin::removing);
            ControlLoop timer = bus.loop("node-check", Duration.ofMillis(250), () -> {
                registry.check();
                admin.check();
            });
            Map<String, Handler> handlers = new HashMap<>(registry.handlers());
            handlers.putAll(joining.handlers());
            handlers.putAll(admin.handlers());
            bus.serve(handlers, VerifiedCaller.follow(bus));
            heartbeat.status(Heartbeat.Status.UP);
            log.info("node manager ready: {} nodes known", nodes.view().size());
            return new NodesMain(bus, timer);
        } catch (RuntimeException e) {
            bus.close();
            throw e;
        }
    }

    @Override
    public void close() {
        timer.close();
        bus.close();
    }
}
