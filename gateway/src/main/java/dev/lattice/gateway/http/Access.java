package dev.lattice.gateway.http;

import dev.lattice.core.AppScope;
import dev.lattice.core.Principal;
import dev.lattice.core.Role;
import java.util.EnumSet;
import java.util.Set;

/**
 * Who may call a route: anybody ({@link #PUBLIC}), a token holding one of {@code roles}, and,
 * where {@code devices} is set, the device whose instance id is the route's {@code {id}}; where
 * {@code app} is set, an app instance whose {@link AppScope} permits the route's path parameter
 * {@code appParam} as that kind of target (a bound sensor, a bound controller, a named model, itself).
 */
public record Access(boolean open, Set<Role> roles, boolean devices, AppScope.Target app, String appParam) {
    public static final Access PUBLIC = new Access(true, Set.of(), false, null, null);
    public static final Access ANY_ROLE = new Access(false, EnumSet.allOf(Role.class), false, null, null);

    public Access {
        roles = Set.copyOf(roles);
    }

    public static Access roles(Role first, Role... rest) {
        return new Access(false, EnumSet.of(first, rest), false, null, null);
    }

    /** The same roles, and also the device named by the route's {@code {id}}. */
    public Access orOwnDevice() {
        return new Access(open, roles, true, app, appParam);
    }

    /** The same, and also an app instance whose scope permits path parameter {@code param} as a {@code target}. */
    public Access orApp(AppScope.Target target, String param) {
        return new Access(open, roles, devices, target, param);
    }

    /** Whether {@code principal} may call the route; {@code pathId} is the route's {@code {id}}, if any. */
    public boolean allows(Principal principal, String pathId) {
        if (open) return true;
        if (principal.kind() == Principal.Kind.DEVICE) return devices && principal.name().equals(pathId);
        if (principal.kind() == Principal.Kind.APP) return false; // see allowsApp
        return principal.role() != null && roles.contains(principal.role());
    }

    /** Whether an app principal with {@code scope} (null: its instance is gone) may call the route with these path parameters. */
    public boolean allowsApp(AppScope scope, java.util.Map<String, String> pathParams) {
        return app != null && scope != null && scope.permits(app, pathParams.get(appParam));
    }

    public boolean allows(Principal principal) {
        return allows(principal, null);
    }
}
