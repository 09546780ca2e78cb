package dev.lattice.api.apps;

import dev.lattice.api.scheduler.Schedule;
import dev.lattice.core.AppScope;
import dev.lattice.core.Principal;
import dev.lattice.core.Role;
import dev.lattice.workloads.DeployerCommands;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An end user's running (or scheduled) copy of an app (kind {@value #KIND}, key: its id, owned by
 * the apps service): which version, whose it is, the device instances chosen per binding, the
 * params with defaults filled in, the schedule if any, what its token may touch ({@link AppScope};
 * the token itself is kept only as its SHA-256), and the deployment that runs it — applied at once
 * when there is no schedule, by the scheduler for each run otherwise.
 */
public record AppInstance(String id, String app, String version, String owner, Map<String, List<String>> bindings,
                          Map<String, Object> params, Schedule schedule, AppScope scope, String tokenHash,
                          DeployerCommands.Create deployment, Instant createdAt) {
    public static final String KIND = AppScope.INSTANCE_KIND;
    /** An instance's token: {@code lta_<instance id>_<random>}; the gateway tells app tokens by it. */
    public static final String TOKEN_PREFIX = "lta_";

    /**
     * The app instance a token proves, checked against the instances known (the gateway's view, or
     * the sensors service's); a 401 {@link dev.lattice.core.LatticeException} for anything else.
     */
    public static Principal verifyToken(dev.lattice.bus.state.StateView<AppInstance> instances, String token) {
        String id = dev.lattice.core.SecretTokens.idOf(TOKEN_PREFIX, token)
                .orElseThrow(() -> dev.lattice.core.LatticeException.unauthorized("invalid app instance token"));
        AppInstance i = instances.get(id).map(dev.lattice.bus.state.Versioned::value).orElse(null);
        if (i == null || !dev.lattice.core.SecretTokens.matches(token, i.tokenHash())) {
            throw dev.lattice.core.LatticeException.unauthorized("invalid app instance token");
        }
        return Principal.app(id);
    }

    public AppInstance {
        bindings = bindings == null ? Map.of() : Map.copyOf(bindings);
        params = params == null ? Map.of() : Map.copyOf(params);
    }

    /** Who may delete or otherwise manage an instance: its owner (a user), or any admin. Shared by the apps service and the gateway. */
    public static boolean mayManage(Principal p, AppInstance instance) {
        return p.role() == Role.ADMIN || (p.kind() == Principal.Kind.USER && p.name().equals(instance.owner()));
    }

    /** The deployment (and so the workload) of an instance: what {@code ps}, the Workloads page and events show. */
    public static String deploymentOf(String instanceId) {
        return "app-" + instanceId;
    }
}
