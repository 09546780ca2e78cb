package dev.lattice.deployer;

import dev.lattice.api.auth.VerifiedCaller;
import dev.lattice.bus.Bus;
import dev.lattice.bus.heartbeat.Heartbeat;
import dev.lattice.bus.loop.ControlLoop;
import dev.lattice.workloads.Deployment;
import dev.lattice.workloads.Events;
import dev.lattice.workloads.Node;
import dev.lattice.workloads.NodeReport;
import dev.lattice.workloads.Workload;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the deployer:
 * <ol>
 *   <li>connects to Kafka and starts the heartbeat;</li>
 *   <li>becomes the owner of kinds {@code deployment} and {@code workload}; follows {@code node}
 *       (node manager) and {@code node-report} (agents' measured load);</li>
 *   <li>runs the {@link Reconciler} on every change and every half second;</li>
 *   <li>serves create/delete on {@code lattice.requests.deployer}, and reports UP.</li>
 * </ol>
 */
public final class DeployerMain implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DeployerMain.class);
    private static final Duration CATCH_UP = Duration.ofSeconds(60);
    private final Bus bus;
    private final ControlLoop loop;

    private DeployerMain(Bus bus, ControlLoop loop) {
        this.bus = bus;
        this.loop = loop;
    }

    public static DeployerMain start(Bus bus, DeployerConfig config) {
        try {
            var heartbeat = bus.heartbeat();
            Events events = Events.of(bus);
            var deployments = bus.own(Deployment.KIND, Deployment.class, CATCH_UP);
            // Each node's agent reads its own workloads from its node's topic (Workload.topic), copied
            // in the owner's transactions. recopy() runs at every start (one transaction of every
            // workload, whose copies mostly exist: an agent finds nothing changed) because only that
            // tells nothing from "made by a version without copies" without reading every node's topic.
            var workloads = bus.own(Workload.KIND, Workload.class, CATCH_UP, Workload::copyTopic);
            int copied = workloads.recopy();
            var nodes = bus.view(Node.KIND, Node.class);
            var reports = bus.view(NodeReport.KIND, NodeReport.class);
            nodes.awaitCaughtUp(CATCH_UP);
            reports.awaitCaughtUp(CATCH_UP);
            var reconciler = new Reconciler(deployments.view(), workloads, nodes, reports, events, bus.clock(), config);

            ControlLoop loop = bus.loop("deployer", Duration.ofMillis(500), reconciler::pass);
            // Changes wake the loop at once; many changes at once make one pass.
            deployments.view().onChange(c -> loop.wake());
            nodes.onChange(c -> loop.wake());

            bus.serve(new DeploymentCommands(deployments, nodes, events, bus.clock()).handlers(), VerifiedCaller.follow(bus));
            heartbeat.status(Heartbeat.Status.UP);
            log.info("deployer ready: {} deployments, {} workloads ({} copied to their nodes' topics), {} nodes",
                    deployments.view().size(), workloads.view().size(), copied, nodes.size());
            return new DeployerMain(bus, loop);
        } catch (RuntimeException e) {
            bus.close();
            throw e;
        }
    }

    @Override
    public void close() {
        loop.close();
        bus.close();
    }
}
