package dev.lattice.deployer;

import dev.lattice.bus.rpc.Handler;
import dev.lattice.bus.rpc.Request;
import dev.lattice.bus.state.StateOwner;
import dev.lattice.bus.state.StateView;
import dev.lattice.bus.state.Versioned;
import dev.lattice.core.LatticeException;
import dev.lattice.core.Principal;
import dev.lattice.core.Role;
import dev.lattice.workloads.DeployerCommands;
import dev.lattice.workloads.Deployment;
import dev.lattice.workloads.Events;
import dev.lattice.workloads.Node;
import java.time.Clock;
import java.util.Map;

/**
 * Create and delete deployments. They only write the desired state; the {@link Reconciler},
 * woken by the change, makes the workloads follow. Platform kinds ({@code service}, {@code model},
 * {@code app}) are made by platform services only, never by a user's request.
 */
final class DeploymentCommands {
    private final StateOwner<Deployment> deployments;
    private final StateView<Node> nodes;
    private final Events events;
    private final Clock clock;

    DeploymentCommands(StateOwner<Deployment> deployments, StateView<Node> nodes, Events events, Clock clock) {
        this.deployments = deployments;
        this.nodes = nodes;
        this.events = events;
        this.clock = clock;
    }

    Map<String, Handler> handlers() {
        return Map.of(DeployerCommands.CREATE, this::create, DeployerCommands.DELETE, this::delete,
                DeployerCommands.APPLY, this::apply);
    }

    private Deployment create(Request request) {
        request.require(Role.ADMIN);
        var body = request.payload(DeployerCommands.Create.class);
        if (!body.kind().equals(Deployment.CUSTOM) && request.principal().kind() != Principal.Kind.SERVICE)
            throw LatticeException.badRequest("deployer:kind", "kind: only the platform makes '" + body.kind() + "' deployments");
        if (body.node() != null && nodes.get(body.node()).isEmpty())
            throw LatticeException.badRequest("deployer:node", "node: no node '" + body.node() + "' has joined");
        Deployment d = new Deployment(body.name(), body.kind(), body.spec(), body.replicas(), body.node(),
                request.principal().name(), clock.instant());
        deployments.create(d.name(), d, request.principal().name());
        events.publish("deployed", "deployment/" + d.name(), d.replicas() + " replica(s) of " + describe(d));
        return d;
    }

    /**
     * Makes a platform deployment what the body says, creating it if needed: the reconciler then
     * rolls a changed spec onto the replicas one at a time (see {@link Reconciler}).
     */
    private Deployment apply(Request request) {
        if (request.principal().kind() != Principal.Kind.SERVICE)
            throw LatticeException.forbidden("only platform services apply deployments");
        var body = request.payload(DeployerCommands.Create.class);
        if (body.kind().equals(Deployment.CUSTOM))
            throw LatticeException.badRequest("deployer:kind", "kind: apply is for platform kinds, not custom");
        Deployment d = new Deployment(body.name(), body.kind(), body.spec(), body.replicas(), body.node(),
                request.principal().name(), clock.instant());
        var current = deployments.view().get(d.name());
        if (current.isEmpty()) {
            deployments.create(d.name(), d, request.principal().name());
            events.publish("deployed", "deployment/" + d.name(), d.replicas() + " replica(s) of " + describe(d));
        } else if (!current.get().value().spec().equals(d.spec()) || current.get().value().replicas() != d.replicas()) {
            deployments.update(d.name(), current.get().version(), d, request.principal().name());
            events.publish("updated", "deployment/" + d.name(), d.replicas() + " replica(s) of " + describe(d));
        }
        return d;
    }

    private Object delete(Request request) {
        request.require(Role.ADMIN);
        String name = request.payload(DeployerCommands.Delete.class).name();
        Versioned<Deployment> current = deployments.view().get(name)
                .orElseThrow(() -> LatticeException.notFound("deployer:not-found", "deployment '" + name + "' does not exist"));
        if (!current.value().kind().equals(Deployment.CUSTOM) && request.principal().kind() != Principal.Kind.SERVICE)
            throw LatticeException.conflict("deployer:owned", "deployment '" + name + "' belongs to the platform ("
                    + current.value().kind() + "); remove it through its " + current.value().kind());
        deployments.delete(name, current.version(), request.principal().name());
        events.publish("undeployed", "deployment/" + name, "deleted by " + request.principal().name());
        return Map.of("name", name);
    }

    private static String describe(Deployment d) {
        if (d.spec().image() != null) return "image " + d.spec().image();
        String line = String.join(" ", d.spec().command());
        // A platform-made command carries a class path: the event shows its start and its end.
        return line.length() <= 200 ? line : line.substring(0, 60) + " … " + line.substring(line.length() - 120);
    }
}
