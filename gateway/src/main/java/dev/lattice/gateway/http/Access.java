package dev.lattice.gateway.http;

import dev.lattice.core.Principal;
import dev.lattice.core.Role;
import java.util.EnumSet;
import java.util.Set;

/**
 * Who may call a route: anybody ({@link #PUBLIC}), a token holding one of {@code roles}, and,
 * where {@code devices} is set, the device whose instance id is the route's {@code {id}}.
 */
public record Access(boolean open, Set<Role> roles, boolean devices) {
    public static final Access PUBLIC = new Access(true, Set.of(), false);
    public static final Access ANY_ROLE = new Access(false, EnumSet.allOf(Role.class), false);

    public Access {
        roles = Set.copyOf(roles);
    }

    public static Access roles(Role first, Role... rest) {
        return new Access(false, EnumSet.of(first, rest), false);
    }

    /** The same roles, and also the device named by the route's {@code {id}}. */
    public Access orOwnDevice() {
        return new Access(open, roles, true);
    }

    /** Whether {@code principal} may call the route; {@code pathId} is the route's {@code {id}}, if any. */
    public boolean allows(Principal principal, String pathId) {
        if (open) return true;
        if (principal.kind() == Principal.Kind.DEVICE) return devices && principal.name().equals(pathId);
        return principal.role() != null && roles.contains(principal.role());
    }

    public boolean allows(Principal principal) {
        return allows(principal, null);
    }
}
