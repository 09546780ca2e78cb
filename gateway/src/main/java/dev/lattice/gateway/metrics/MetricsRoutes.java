package dev.lattice.gateway.metrics;

import dev.lattice.bus.metrics.MetricsTarget;
import dev.lattice.bus.state.StateView;
import dev.lattice.bus.state.Versioned;
import dev.lattice.core.Principal;
import dev.lattice.core.Role;
import dev.lattice.gateway.http.Access;
import dev.lattice.gateway.http.Route;
import dev.lattice.gateway.workloads.WorkloadViews;
import io.javalin.http.Context;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/v1/metrics/targets} (admin, or an API key with role admin, which is what a
 * Prometheus is given): every process that serves {@code /metrics}, in Prometheus' HTTP service
 * discovery form. Platform services and agents advertise themselves ({@link MetricsTarget}); model
 * servers are their ready replicas, as the agents report them. {@code GET /api/v1/metrics/summary}
 * (admin): the few totals the UI's Metrics page draws, read from those same targets.
 */
public final class MetricsRoutes {
    /** One HTTP-SD group: Prometheus' own JSON shape. */
    public record Group(List<String> targets, Map<String, String> labels) {}

    private final StateView<MetricsTarget> targets;
    private final WorkloadViews workloads;
    private final MetricsSummary summary = new MetricsSummary();

    public MetricsRoutes(StateView<MetricsTarget> targets, WorkloadViews workloads) {
        this.targets = targets;
        this.workloads = workloads;
    }

    public List<Route> routes() {
        return List.of(Route.get("/api/v1/metrics/targets", Access.roles(Role.ADMIN), this::targets),
                Route.get("/api/v1/metrics/summary", Access.roles(Role.ADMIN), (ctx, p) -> ctx.json(summary.read(groups()))));
    }

    void targets(Context ctx, Principal principal) {
        ctx.json(groups());
    }

    List<Group> groups() {
        List<Group> out = new ArrayList<>();
        for (MetricsTarget t : targets.list().stream().map(Versioned::value).sorted(Comparator.comparing(MetricsTarget::instance)).toList()) {
            // Agents' Kafka services are agent-NODE; Prometheus wants the job, the node is its own label.
            String service = t.service().startsWith("agent-") ? "agent" : t.service();
            out.add(new Group(List.of(t.address()), Map.of("service", service, "node", t.node())));
        }
        for (WorkloadViews.Replica r : workloads.ready("model")) {
            URI address = URI.create(r.address());
            out.add(new Group(List.of(address.getHost() + ":" + address.getPort()),
                    Map.of("service", "model-server", "node", r.node() == null ? "" : r.node())));
        }
        return out;
    }
}
