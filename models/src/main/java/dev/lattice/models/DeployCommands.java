package dev.lattice.models;

import dev.lattice.api.models.ModelCommands;
import dev.lattice.api.models.ModelConfig;
import dev.lattice.api.models.ModelDeployment;
import dev.lattice.api.models.ModelVersion;
import dev.lattice.bus.rpc.Handler;
import dev.lattice.bus.rpc.Request;
import dev.lattice.bus.rpc.RequestClient;
import dev.lattice.bus.state.StateOwner;
import dev.lattice.bus.state.StateView;
import dev.lattice.bus.state.Versioned;
import dev.lattice.core.LatticeException;
import dev.lattice.core.Principal;
import dev.lattice.core.Role;
import dev.lattice.workloads.DeployerCommands;
import dev.lattice.workloads.Deployment;
import java.time.Clock;
import java.util.Comparator;
import java.util.Map;

/**
 * {@code deploy-model} and {@code undeploy-model}: record what should run, then apply it to the
 * deployer as deployment {@code model-NAME} (kind model). A new version over a running one is the
 * same deployment with a new spec, which the deployer rolls out one replica at a time.
 */
final class DeployCommands {
    private static final Role[] WRITERS = {Role.ADMIN, Role.DATA_SCIENTIST};

    private final StateView<ModelVersion> versions;
    private final StateOwner<ModelDeployment> deployments;
    private final RequestClient client;
    private final StateView<Deployment> placed;
    private final ModelServerSpec specs;
    private final Clock clock;

    /** @param placed the deployer's deployments: where a model's serve key already is */
    DeployCommands(StateView<ModelVersion> versions, StateOwner<ModelDeployment> deployments, RequestClient client,
                   StateView<Deployment> placed, ModelServerSpec specs, Clock clock) {
        this.versions = versions;
        this.placed = placed;
        this.deployments = deployments;
        this.client = client;
        this.specs = specs;
        this.clock = clock;
    }

    Map<String, Handler> handlers() {
        return Map.of(ModelCommands.DEPLOY, this::deploy, ModelCommands.UNDEPLOY, this::undeploy);
    }

    private ModelDeployment deploy(Request request) {
        request.require(WRITERS);
        var body = request.payload(ModelCommands.Deploy.class);
        ModelVersion v = body.version() == null ? latest(body.name())
                : versions.get(ModelVersion.key(body.name(), body.version())).map(Versioned::value)
                .orElseThrow(() -> LatticeException.badRequest("models:version.unknown",
                        "version: model '" + body.name() + "' has no version '" + body.version() + "'"));
        int replicas = body.replicas() != null ? body.replicas() : v.config().replicas();
        apply(v, replicas);
        ModelDeployment d = new ModelDeployment(v.name(), v.version(), replicas, true, request.principal().name(), clock.instant());
        put(d);
        return d;
    }

    private ModelDeployment undeploy(Request request) {
        request.require(WRITERS);
        String name = request.payload(ModelCommands.Undeploy.class).name();
        ModelDeployment current = deployments.view().get(name).map(Versioned::value)
                .filter(ModelDeployment::active)
                .orElseThrow(() -> LatticeException.notFound("models:not-deployed", "model '" + name + "' is not deployed"));
        try {
            client.call(DeployerCommands.SERVICE, DeployerCommands.DELETE,
                    new DeployerCommands.Delete(ModelConfig.deploymentOf(name)), Principal.service(ModelCommands.SERVICE), Map.class);
        } catch (LatticeException e) {
            if (e.status() != 404) throw e; // already gone: undeploying again is fine
        }
        ModelDeployment d = new ModelDeployment(name, current.version(), current.replicas(), false,
                request.principal().name(), clock.instant());
        put(d);
        return d;
    }

    /** Applies deployment {@code model-NAME} of {@code v} to the deployer. */
    private void apply(ModelVersion v, int replicas) {
        String name = ModelConfig.deploymentOf(v.name());
        var spec = specs.of(v, serveKey(name));
        var create = new DeployerCommands.Create(name, Deployment.MODEL, spec.command(), null, replicas, spec.resources(),
                null, spec.env(), spec.artefact(), spec.http());
        client.call(DeployerCommands.SERVICE, DeployerCommands.APPLY, create, Principal.service(ModelCommands.SERVICE), Map.class);
    }

    /**
     * Gives a serve key to the deployments made before model servers wanted one (their replicas
     * would not start without it): each is applied again, which the deployer rolls out.
     *
     * @return how many were given a key
     */
    int keyOlderDeployments() {
        int keyed = 0;
        for (Versioned<ModelDeployment> current : deployments.view().list()) {
            ModelDeployment d = current.value();
            if (!d.active()) continue;
            var deployment = placed.get(ModelConfig.deploymentOf(d.name())).map(Versioned::value);
            if (deployment.isEmpty() || deployment.get().spec().env().containsKey(ModelServerSpec.KEY_ENV)) continue;
            var version = versions.get(ModelVersion.key(d.name(), d.version())).map(Versioned::value);
            if (version.isEmpty()) continue;
            apply(version.get(), deployment.get().replicas());
            keyed++;
        }
        return keyed;
    }

    /**
     * The key the deployment's servers already want, else a fresh one: re-deploying (another
     * replica count, another version) then changes nothing but what was asked, and a rolling
     * replace keeps one key for old and new replicas.
     */
    private String serveKey(String deployment) {
        return placed.get(deployment).map(d -> d.value().spec().env().get(ModelServerSpec.KEY_ENV))
                .filter(k -> !k.isBlank()).orElseGet(dev.lattice.http.ServiceKey::generate);
    }

    private ModelVersion latest(String name) {
        return versions.list().stream().map(Versioned::value).filter(v -> v.name().equals(name))
                .max(Comparator.comparing(ModelVersion::uploadedAt))
                .orElseThrow(() -> LatticeException.notFound("models:not-found", "model '" + name + "' does not exist"));
    }

    private void put(ModelDeployment d) {
        var current = deployments.view().get(d.name());
        if (current.isEmpty()) deployments.create(d.name(), d, d.by());
        else deployments.update(d.name(), current.get().version(), d, d.by());
    }
}
