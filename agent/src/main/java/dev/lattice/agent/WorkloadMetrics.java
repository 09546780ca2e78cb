package dev.lattice.agent;

import dev.lattice.workloads.NodeReport;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The node's workloads in its agent's {@code /metrics}, from each report it makes:
 * {@code lattice_workloads{kind,status}} (how many), {@code lattice_workload_restarts{kind}} (restarts
 * of the workloads it runs now, summed), and the node's measured load. Each agent exports only its
 * own node, so a Prometheus query sums over agents ({@code sum by (status) (lattice_workloads)}):
 * no process reports the same workload twice. Every kind and status seen since start keeps a series
 * (at 0 when none is left), so a graph drops to 0 instead of ending.
 */
final class WorkloadMetrics {
    private final MultiGauge workloads;
    private final MultiGauge restarts;
    private final Map<Key, Integer> counts = new HashMap<>();
    private final Map<String, Integer> restartSums = new HashMap<>();
    private volatile NodeReport last;

    WorkloadMetrics(MeterRegistry registry) {
        workloads = MultiGauge.builder("lattice.workloads").description("workloads on this node by kind and status").register(registry);
        restarts = MultiGauge.builder("lattice.workload.restarts").description("restarts of this node's current workloads, summed by kind")
                .register(registry);
        Gauge.builder("lattice.node.cpu.load", this, m -> m.last == null ? Double.NaN : m.last.cpuLoad())
                .description("CPU used by this node's workloads, as a fraction of its cpus").register(registry);
        Gauge.builder("lattice.node.memory.used", this, m -> m.last == null ? Double.NaN : m.last.memoryUsedMb() * 1024.0 * 1024.0)
                .baseUnit("bytes").description("resident memory of this node's workloads").register(registry);
    }

    private record Key(String kind, String status) {}

    synchronized void update(NodeReport report) {
        last = report;
        counts.replaceAll((k, v) -> 0);
        restartSums.replaceAll((k, v) -> 0);
        for (NodeReport.Running r : report.workloads()) {
            counts.merge(new Key(r.kind(), r.status().name()), 1, Integer::sum);
            restartSums.merge(r.kind(), r.restarts(), Integer::sum);
        }
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        counts.forEach((k, n) -> rows.add(MultiGauge.Row.of(Tags.of("kind", k.kind(), "status", k.status()), n)));
        workloads.register(rows, true);
        List<MultiGauge.Row<?>> restartRows = new ArrayList<>();
        restartSums.forEach((kind, n) -> restartRows.add(MultiGauge.Row.of(Tags.of("kind", kind), n)));
        restarts.register(restartRows, true);
    }
}
