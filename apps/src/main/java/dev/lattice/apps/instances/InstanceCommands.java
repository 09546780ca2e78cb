package dev.lattice.apps.instances;

import dev.lattice.api.apps.AppCommands;
import dev.lattice.api.apps.AppInstance;
import dev.lattice.api.apps.AppVersion;
import dev.lattice.api.scheduler.Schedule;
import dev.lattice.bus.rpc.Handler;
import dev.lattice.bus.rpc.Request;
import dev.lattice.bus.rpc.RequestClient;
import dev.lattice.bus.state.StateOwner;
import dev.lattice.bus.state.StateView;
import dev.lattice.bus.state.Versioned;
import dev.lattice.core.AppScope;
import dev.lattice.core.LatticeException;
import dev.lattice.core.Principal;
import dev.lattice.core.Role;
import dev.lattice.core.SecretTokens;
import dev.lattice.workloads.DeployerCommands;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code create-app-instance} and {@code delete-app-instance}. Create checks every binding and
 * param against the app's latest version, makes the instance's token (kept only as its hash) and
 * scope, records the instance, and — unless it is scheduled, when the scheduler starts each run —
 * applies its deployment to the deployer; if that fails the record is taken back, so a refused
 * instance leaves nothing. Delete stops the deployment and removes the record: the token dies
 * with it. An end user may delete only their own instances; an admin any.
 */
public final class InstanceCommands {
    private static final Logger log = LoggerFactory.getLogger(InstanceCommands.class);
    private static final Role[] USERS = {Role.ADMIN, Role.END_USER};
    private static final String ID_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final StateView<AppVersion> versions;
    private final StateOwner<AppInstance> instances;
    private final BindingCheck bindings;
    private final WorkloadPlan plan;
    private final RequestClient client;
    private final Clock clock;

    public InstanceCommands(StateView<AppVersion> versions, StateOwner<AppInstance> instances, BindingCheck bindings,
                            WorkloadPlan plan, RequestClient client, Clock clock) {
        this.versions = versions;
        this.instances = instances;
        this.bindings = bindings;
        this.plan = plan;
        this.client = client;
        this.clock = clock;
    }

    public Map<String, Handler> handlers() {
        return Map.of(AppCommands.CREATE_INSTANCE, this::create, AppCommands.DELETE_INSTANCE, this::delete);
    }

    private AppCommands.Created create(Request request) {
        request.require(USERS);
        var body = request.payload(AppCommands.CreateInstance.class);
        AppVersion v = latest(body.app());
        Map<String, List<String>> chosen = bindings.check(v.config(), body.bindings());
        Map<String, Object> params = Params.check(v.config().params(), body.params());
        Schedule schedule = body.schedule() == null || body.schedule().isNull() ? v.config().schedule() : Schedule.parse(body.schedule());
        String id = newId(v.name());
        String token = SecretTokens.newToken(AppInstance.TOKEN_PREFIX, id);
        AppScope scope = new AppScope(id, bindings.sensorIds(v.config(), chosen), bindings.controllerIds(v.config(), chosen),
                Set.copyOf(v.config().models()));
        DeployerCommands.Create deployment = plan.deployment(v, id, chosen, params, token);
        AppInstance instance = new AppInstance(id, v.name(), v.version(), request.principal().name(), chosen, params, schedule,
                scope, SecretTokens.hash(token), deployment, clock.instant());
        Versioned<AppInstance> stored = instances.create(id, instance, request.principal().name());
        if (schedule == null) {
            try {
                client.call(DeployerCommands.SERVICE, DeployerCommands.APPLY, deployment, Principal.service(AppCommands.SERVICE), Map.class);
            } catch (RuntimeException e) {
                instances.delete(id, stored.version(), request.principal().name());
                throw e;
            }
        }
        log.info("app instance {} of {} {} made by {}{}", id, v.name(), v.version(), request.principal().name(),
                schedule == null ? "" : " (scheduled)");
        return new AppCommands.Created(id, schedule == null ? "PENDING" : "SCHEDULED");
    }

    private Map<String, Object> delete(Request request) {
        request.require(USERS);
        String id = request.payload(AppCommands.DeleteInstance.class).id();
        Versioned<AppInstance> current = instances.view().get(id)
                .filter(i -> AppInstance.mayManage(request.principal(), i.value()))
                .orElseThrow(() -> LatticeException.notFound("apps:instance.not-found", "app instance '" + id + "' does not exist"));
        try {
            client.call(DeployerCommands.SERVICE, DeployerCommands.DELETE,
                    new DeployerCommands.Delete(AppInstance.deploymentOf(id)), Principal.service(AppCommands.SERVICE), Map.class);
        } catch (LatticeException e) {
            if (e.status() != 404) throw e; // not running (scheduled, between runs): nothing to stop
        }
        instances.delete(id, current.version(), request.principal().name());
        log.info("app instance {} deleted by {}", id, request.principal().name());
        return Map.of("id", id, "status", "STOPPED");
    }

    /** Whether {@code p} may see and stop {@code instance}: its owner, or an admin. */
    private AppVersion latest(String app) {
        return versions.list().stream().map(Versioned::value).filter(v -> v.name().equals(app))
                .max(Comparator.comparing(AppVersion::uploadedAt))
                .orElseThrow(() -> LatticeException.notFound("apps:not-found", "app '" + app + "' does not exist"));
    }

    /** {@code APP-xxxxxx}: readable in {@code ps} and the Workloads page, and never with '_' (tokens use it). */
    private String newId(String app) {
        for (int attempt = 0; ; attempt++) {
            StringBuilder id = new StringBuilder(app).append('-');
            for (int i = 0; i < 6; i++) id.append(ID_CHARS.charAt(RANDOM.nextInt(ID_CHARS.length())));
            if (instances.view().get(id.toString()).isEmpty() || attempt > 10) return id.toString();
        }
    }
}
