package dev.lattice.api.apps;

/**
 * What a config may refer to: the sensor and controller types and the models that exist now.
 * The seam between a config's check and wherever the platform keeps those (the service answers
 * from its views of the state topics). Implementations must be safe to call from any thread.
 */
public interface Catalog {
    boolean sensorType(String name);

    boolean controllerType(String name);

    boolean model(String name);
}
