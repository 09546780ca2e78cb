package dev.lattice.deployer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lattice.workloads.Node;
import dev.lattice.workloads.NodeReport;
import dev.lattice.workloads.NodeStatus;
import dev.lattice.workloads.Resources;
import dev.lattice.workloads.Workload;
import dev.lattice.workloads.WorkloadSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlacementTest {
    private final List<Node> nodes = new ArrayList<>();
    private final Map<String, NodeReport> reports = new HashMap<>();
    private final List<Workload> workloads = new ArrayList<>();

    private void node(String name, NodeStatus status, String runtime, double cpuLoad) {
        node(name, status, runtime, cpuLoad, cpuLoad);
    }

    private void node(String name, NodeStatus status, String runtime, double cpuLoad, double placedCpuLoad) {
        nodes.add(new Node(name, status, runtime, List.of(), 2, 4096, status == NodeStatus.DRAINING, Instant.EPOCH));
        reports.put(name, new NodeReport(name, runtime, List.of(), 2, 4096, cpuLoad, placedCpuLoad, 100, List.of(), 1,
                Instant.EPOCH, Instant.EPOCH));
    }

    private Optional<String> place(String deployment, WorkloadSpec spec, String pin) {
        Workload w = new Workload(deployment + "-" + workloads.size(), deployment, "custom", workloads.size(), null, spec, Instant.EPOCH);
        Optional<String> at = Placement.choose(new Placement.Cluster(nodes, reports, workloads), w, pin, Set.of());
        at.ifPresent(n -> workloads.add(w.placedOn(n, Instant.EPOCH)));
        return at;
    }

    private static WorkloadSpec cmd(Resources r) {
        return new WorkloadSpec(List.of("sleep", "1"), null, Map.of(), r, null);
    }

    @Test
    void spreadsReplicasOverNodesDespiteSmallLoadDifferences() {
        node("n1", NodeStatus.READY, "process", 0.7, 0.0); // a control-plane node's services, warming up
        node("n2", NodeStatus.READY, "process", 0.0);
        node("n3", NodeStatus.READY, "process", 0.02);
        List<String> at = List.of(place("web", cmd(Resources.NONE), null).orElseThrow(),
                place("web", cmd(Resources.NONE), null).orElseThrow(), place("web", cmd(Resources.NONE), null).orElseThrow());
        assertThat(at).containsExactly("n2", "n3", "n1");
    }

    @Test
    void avoidsABusyNodeEvenIfReplicasMustShare() {
        node("n1", NodeStatus.READY, "process", 0.7);
        node("n2", NodeStatus.READY, "process", 0.0);
        node("n3", NodeStatus.READY, "process", 0.0);
        for (int i = 0; i < 3; i++) assertThat(place("api", cmd(Resources.NONE), null)).isNotEqualTo(Optional.of("n1"));
        // Only when nothing else can take it does a busy node get work.
        assertThat(place("pinned", cmd(Resources.NONE), "n1")).contains("n1");
    }

    @Test
    void filtersByStatusRuntimePinAndCapacity() {
        node("n1", NodeStatus.NOT_READY, "docker", 0);
        node("n2", NodeStatus.DRAINING, "docker", 0);
        node("n3", NodeStatus.READY, "process", 0);
        node("n4", NodeStatus.READY, "docker", 0);
        assertThat(place("img", new WorkloadSpec(null, "nginx:1", Map.of(), null, null), null)).contains("n4");
        assertThat(place("cmd", cmd(Resources.NONE), "n1")).isEmpty();
        assertThat(place("big", cmd(new Resources(2, 1000)), null)).isPresent();
        assertThat(place("big", cmd(new Resources(2, 1000)), null)).isPresent();
        assertThat(place("big", cmd(new Resources(2, 1000)), null)).as("both READY nodes' cores are reserved").isEmpty();
        assertThat(place("huge", cmd(new Resources(0.1, 5000)), null)).as("more memory than any node has").isEmpty();
    }
}
