package dev.lattice.api.apps;

import java.util.Set;

/** The types and models a test's platform has. */
record FakeCatalog(Set<String> sensorTypes, Set<String> controllerTypes, Set<String> models) implements Catalog {
    static final FakeCatalog DEFAULT = new FakeCatalog(Set.of("thermometer"), Set.of("heater"), Set.of("anomaly"));

    @Override
    public boolean sensorType(String name) {
        return sensorTypes.contains(name);
    }

    @Override
    public boolean controllerType(String name) {
        return controllerTypes.contains(name);
    }

    @Override
    public boolean model(String name) {
        return models.contains(name);
    }
}
