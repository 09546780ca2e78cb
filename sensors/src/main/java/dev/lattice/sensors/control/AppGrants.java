package dev.lattice.sensors.control;

import dev.lattice.api.apps.AppInstance;
import dev.lattice.bus.state.StateView;
import dev.lattice.bus.state.Versioned;
import dev.lattice.core.AppScope;
import dev.lattice.core.LatticeException;
import dev.lattice.core.Principal;

/**
 * The sensors service's own check of an app instance's calls (defence in depth behind the
 * gateway): an app principal may command only the controllers bound to it, as the scope of its
 * {@code app-instance} record (the apps service's, read through the api record) says. Thread-safe.
 */
public final class AppGrants {
    private final StateView<AppInstance> instances;

    public AppGrants(StateView<AppInstance> instances) {
        this.instances = instances;
    }

    /**
     * The app instance an instance token proves (the gateway forwards it as it came, and this
     * service believes an app's claim only on it); 401 for anything else.
     */
    public Principal verify(String token) {
        return AppInstance.verifyToken(instances, token);
    }

    /** 403 unless {@code p} is an app instance whose scope holds {@code controller}. */
    void requireController(Principal p, String controller) {
        AppScope scope = instances.get(p.name()).map(Versioned::value).map(AppInstance::scope).orElse(null);
        if (scope == null || !scope.permits(AppScope.Target.CONTROLLER, controller))
            throw LatticeException.forbidden("app instance '" + p.name() + "' may command only the controllers bound to it, not '"
                    + controller + "'");
    }
}
