package dev.lattice.deployer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lattice.bus.Bus;
import dev.lattice.bus.TestKafka;
import dev.lattice.bus.state.StateOwner;
import dev.lattice.bus.state.Versioned;
import dev.lattice.workloads.Deployment;
import dev.lattice.workloads.Events;
import dev.lattice.workloads.Node;
import dev.lattice.workloads.NodeReport;
import dev.lattice.workloads.NodeStatus;
import dev.lattice.workloads.Resources;
import dev.lattice.workloads.Workload;
import dev.lattice.workloads.WorkloadSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The deployer's reconcile pass against real state topics, with a clock the test moves: what is
 * desired (deployments) against what is assigned (workloads), pass by pass, without a platform.
 */
class ReconcilerIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration LOST_AFTER = Duration.ofSeconds(5);
    private final TestClock clock = new TestClock(Instant.parse("2026-12-04T10:00:00Z"));
    private Bus bus;
    private StateOwner<Deployment> deployments;
    private StateOwner<Workload> workloads;
    private StateOwner<Node> nodes;
    private StateOwner<NodeReport> reports;
    private Reconciler reconciler;

    @BeforeEach
    void start() {
        bus = TestKafka.bus("deployer-test");
        deployments = bus.own(TestKafka.unique("deployment"), Deployment.class, WAIT);
        workloads = bus.own(TestKafka.unique("workload"), Workload.class, WAIT);
        nodes = bus.own(TestKafka.unique("node"), Node.class, WAIT);
        reports = bus.own(TestKafka.unique("node-report"), NodeReport.class, WAIT);
        reconciler = new Reconciler(deployments.view(), workloads, nodes.view(), reports.view(), Events.of(bus), clock,
                new DeployerConfig(LOST_AFTER));
    }

    @AfterEach
    void stop() {
        bus.close();
    }

    @Test
    void spreadsReplicasAndMovesThemOnlyOnceTheirNodeHasBeenLostLongEnough() {
        for (String n : List.of("n1", "n2", "n3")) node(n);
        deploy("web", 3);
        reconciler.pass();
        assertThat(placement()).hasSize(3).doesNotContainValue(null);
        assertThat(placement().values()).containsExactlyInAnyOrder("n1", "n2", "n3");

        String onN2 = idOn("n2");
        Versioned<Node> n2 = nodes.view().get("n2").orElseThrow();
        nodes.update("n2", n2.version(), n2.value().withStatus(NodeStatus.NOT_READY, clock.instant()), "test");
        clock.advance(LOST_AFTER.minusMillis(1));
        reconciler.pass();
        assertThat(placement()).as("a node silent for less than lostAfter keeps its workloads").containsEntry(onN2, "n2");

        clock.advance(Duration.ofMillis(1));
        reconciler.pass();
        assertThat(placement()).hasSize(3).containsKey(onN2);
        assertThat(placement().get(onN2)).isIn("n1", "n3");

        reconciler.pass();
        assertThat(placement()).as("a pass with nothing to do changes nothing").containsEntry(onN2, placement().get(onN2)).hasSize(3);
    }

    @Test
    void aReplicaWithNowhereToGoIsPendingAndPlacedWhenANodeJoins() {
        deploy("job", 1);
        reconciler.pass();
        assertThat(placement()).hasSize(1).containsValue(null);
        assertThat(reconciler.pendingIds()).hasSize(1);

        node("n1");
        reconciler.pass();
        assertThat(placement().values()).containsExactly("n1");
        assertThat(reconciler.pendingIds()).isEmpty();
    }

    @Test
    void fewerReplicasOrADeletedDeploymentRemoveWorkloads() {
        node("n1");
        node("n2");
        deploy("api", 2);
        reconciler.pass();
        assertThat(placement()).hasSize(2);

        Versioned<Deployment> d = deployments.view().get("api").orElseThrow();
        deployments.update("api", d.version(), withReplicas(d.value(), 1), "test");
        reconciler.pass();
        assertThat(workloads.view().list()).extracting(v -> v.value().replica()).containsExactly(0);

        deployments.delete("api", deployments.view().get("api").orElseThrow().version(), "test");
        reconciler.pass();
        assertThat(workloads.view().list()).isEmpty();
    }

    private void node(String name) {
        Instant now = clock.instant();
        nodes.create(name, new Node(name, NodeStatus.READY, "process", List.of(), 2, 4096, false, now), "test");
        reports.create(name, new NodeReport(name, "process", List.of(), 2, 4096, 0.1, 0, 100, List.of(), 1, now, now), "test");
    }

    private void deploy(String name, int replicas) {
        WorkloadSpec spec = new WorkloadSpec(List.of("sleep", "3600"), null, Map.of(), Resources.NONE, null);
        deployments.create(name, new Deployment(name, Deployment.CUSTOM, spec, replicas, null, "test", clock.instant()), "test");
    }

    private static Deployment withReplicas(Deployment d, int replicas) {
        return new Deployment(d.name(), d.kind(), d.spec(), replicas, d.node(), d.createdBy(), d.createdAt());
    }

    /** Workload id → node (null: pending). */
    private Map<String, String> placement() {
        Map<String, String> out = new java.util.HashMap<>();
        workloads.view().list().forEach(v -> out.put(v.name(), v.value().node()));
        return out;
    }

    private String idOn(String node) {
        return placement().entrySet().stream().filter(e -> node.equals(e.getValue())).map(Map.Entry::getKey).findFirst().orElseThrow();
    }

    /** A clock that moves only when the test says so. */
    static final class TestClock extends Clock {
        private volatile Instant now;

        TestClock(Instant start) {
            this.now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
