package dev.lattice.gateway.http;

import dev.lattice.core.Principal;
import dev.lattice.core.Role;
import java.util.EnumSet;
import java.util.Set;

/**
 * Who may call a route: anybody ({@link #PUBLIC}), or a token holding one of {@code roles}.
 */
public record Access(boolean open, Set<Role> roles) {
    public static final Access PUBLIC = new Access(true, Set.of());
    public static final Access ANY_ROLE = new Access(false, EnumSet.allOf(Role.class));

    public Access {
        roles = Set.copyOf(roles);
    }

    public static Access roles(Role first, Role... rest) {
        return new Access(false, EnumSet.of(first, rest));
    }

    public boolean allows(Principal principal) {
        return open || (principal.kind() != Principal.Kind.ANONYMOUS && roles.contains(principal.role()));
    }
}
