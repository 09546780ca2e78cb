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
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(DeployCommands.class);

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
        return Map.of(ModelCommands.DEPLOY, this::deploy, ModelCommands.UNDEPLOY, this::undeploy,
                ModelCommands.PROMOTE, this::promote, ModelCommands.ROLLBACK, this::rollback);
    }

    private ModelDeployment deploy(Request request) {
        requireUser(request);
        var body = request.payload(ModelCommands.Deploy.class);
        ModelVersion v = body.version() == null ? latest(body.name()) : version(body.name(), body.version(), "version");
        ModelDeployment.Canary canary = body.canary();
        ModelVersion canaryVersion = canary == null ? null : version(body.name(), canary.version(), "canary.version");
        if (canaryVersion != null && canaryVersion.version().equals(v.version()))
            throw LatticeException.badRequest("models:canary", "canary.version: '" + v.version() + "' is the version deployed; name another");
        int replicas = body.replicas() != null ? body.replicas() : v.config().replicas();
        apply(ModelConfig.deploymentOf(v.name()), v, replicas);
        // One replica carries a canary's share; a deploy without one ends any canary there was.
        if (canaryVersion != null) apply(ModelConfig.canaryOf(v.name()), canaryVersion, 1);
        else deleteQuietly(ModelConfig.canaryOf(v.name()));
        ModelDeployment d = new ModelDeployment(v.name(), v.version(), replicas, true, request.principal().name(), clock.instant(), canary);
        put(d);
        return d;
    }

    /** The canary's version takes all traffic: the main deployment rolls over to it, the canary's own replica goes. */
    private ModelDeployment promote(Request request) {
        requireUser(request);
        ModelDeployment current = withCanary(request.payload(ModelCommands.EndCanary.class).name());
        ModelVersion v = version(current.name(), current.canary().version(), "canary.version");
        apply(ModelConfig.deploymentOf(v.name()), v, current.replicas());
        deleteQuietly(ModelConfig.canaryOf(v.name()));
        ModelDeployment d = new ModelDeployment(v.name(), v.version(), current.replicas(), true, request.principal().name(), clock.instant());
        put(d);
        log.info("model {}: canary {} promoted by {}", v.name(), v.version(), request.principal().name());
        return d;
    }

    /**
     * The canary loses all traffic: its replica goes. A data scientist's, an admin's, or the
     * gateway's own (on its lane) when the canary's error rate passed its threshold.
     */
    private ModelDeployment rollback(Request request) {
        request.require(WRITERS);
        var body = request.payload(ModelCommands.EndCanary.class);
        ModelDeployment current = withCanary(body.name());
        deleteQuietly(ModelConfig.canaryOf(current.name()));
        ModelDeployment d = new ModelDeployment(current.name(), current.version(), current.replicas(), true,
                request.principal().name(), clock.instant());
        put(d);
        log.info("model {}: canary {} rolled back by {}{}", current.name(), current.canary().version(), request.principal().name(),
                body.reason() == null ? "" : " (" + body.reason() + ")");
        return d;
    }

    private ModelDeployment undeploy(Request request) {
        requireUser(request);
        String name = request.payload(ModelCommands.Undeploy.class).name();
        ModelDeployment current = deployments.view().get(name).map(Versioned::value)
                .filter(ModelDeployment::active)
                .orElseThrow(() -> LatticeException.notFound("models:not-deployed", "model '" + name + "' is not deployed"));
        deleteQuietly(ModelConfig.deploymentOf(name));
        deleteQuietly(ModelConfig.canaryOf(name));
        ModelDeployment d = new ModelDeployment(name, current.version(), current.replicas(), false,
                request.principal().name(), clock.instant());
        put(d);
        return d;
    }

    /**
     * A person's command (or a key's): a platform service may only roll a canary back. The gateway
     * holds a lane to this service for that one command (PlatformServices.CALLS).
     */
    private static void requireUser(Request request) {
        if (request.principal().kind() == Principal.Kind.SERVICE)
            throw LatticeException.forbidden("service '" + request.principal().name() + "' may only roll a canary back");
        request.require(WRITERS);
    }

    private ModelDeployment withCanary(String name) {
        return deployments.view().get(name).map(Versioned::value).filter(d -> d.active() && d.canary() != null)
                .orElseThrow(() -> LatticeException.conflict("models:canary.none", "model '" + name + "' has no canary"));
    }

    private ModelVersion version(String name, String version, String field) {
        return versions.get(ModelVersion.key(name, version)).map(Versioned::value)
                .orElseThrow(() -> LatticeException.badRequest("models:version.unknown",
                        field + ": model '" + name + "' has no version '" + version + "'"));
    }

    private void deleteQuietly(String deployment) {
        try {
            client.call(DeployerCommands.SERVICE, DeployerCommands.DELETE,
                    new DeployerCommands.Delete(deployment), Principal.service(ModelCommands.SERVICE), Map.class);
        } catch (LatticeException e) {
            if (e.status() != 404) throw e; // already gone: undeploying again is fine
        }
    }

    /** Applies deployment {@code name} (the model's, or its canary's) of {@code v} to the deployer. */
    private void apply(String name, ModelVersion v, int replicas) {
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
            apply(ModelConfig.deploymentOf(d.name()), version.get(), deployment.get().replicas());
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
