package dev.lattice.core;

import java.util.Set;

/**
 * What a running app instance may touch with its instance token (API.md "What a running
 * application gets"): read the sensors bound to it, command the controllers bound to it, call the
 * models its app's config names, and write its own outputs — nothing else. The apps service writes
 * it into each instance's record; the gateway and the sensors service check every call of an app
 * principal against it. Immutable.
 *
 * @param instance    the app instance's id
 * @param sensors     ids of the sensor instances bound to it
 * @param controllers ids of the controller instances bound to it
 * @param models      names of the models its app may call
 */
public record AppScope(String instance, Set<String> sensors, Set<String> controllers, Set<String> models) {
    /** The state kind that carries scopes: the apps service's app instances. */
    public static final String INSTANCE_KIND = "app-instance";

    public AppScope {
        sensors = sensors == null ? Set.of() : Set.copyOf(sensors);
        controllers = controllers == null ? Set.of() : Set.copyOf(controllers);
        models = models == null ? Set.of() : Set.copyOf(models);
    }

    /** What a scope can be asked about: one kind of thing an app may name in a route. */
    public enum Target { SENSOR, CONTROLLER, MODEL, OWN_INSTANCE }

    /** Whether the instance may act on {@code id} of the given kind. */
    public boolean permits(Target target, String id) {
        if (id == null) return false;
        return switch (target) {
            case SENSOR -> sensors.contains(id);
            case CONTROLLER -> controllers.contains(id);
            case MODEL -> models.contains(id);
            case OWN_INSTANCE -> instance.equals(id);
        };
    }
}
