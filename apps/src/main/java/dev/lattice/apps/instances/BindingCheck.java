package dev.lattice.apps.instances;

import dev.lattice.api.apps.AppConfig;
import dev.lattice.api.apps.Binding;
import dev.lattice.api.sensors.Device;
import dev.lattice.bus.state.StateView;
import dev.lattice.bus.state.Versioned;
import dev.lattice.core.LatticeException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks the device instances an end user chose for an app's bindings (API.md): every binding
 * named is one of the app's, every id exists and is of the binding's type, no id twice in one
 * binding, and each binding gets between its {@code min} and {@code max}. Each mistake is a 400
 * naming its place ({@code bindings.machine[0]: ...}). Thread-safe (reads views only).
 */
public final class BindingCheck {
    private final StateView<Device> sensors;
    private final StateView<Device> controllers;

    public BindingCheck(StateView<Device> sensors, StateView<Device> controllers) {
        this.sensors = sensors;
        this.controllers = controllers;
    }

    /** The chosen ids per binding, every binding of the app present (empty where min is 0 and none were given). */
    Map<String, List<String>> check(AppConfig config, Map<String, List<String>> given) {
        Map<String, List<String>> in = given == null ? Map.of() : given;
        Set<String> known = new HashSet<>();
        config.sensors().forEach(b -> known.add(b.name()));
        config.controllers().forEach(b -> known.add(b.name()));
        for (String name : in.keySet()) {
            if (!known.contains(name))
                throw bad("bindings." + name + ": app '" + config.name() + "' has no binding '" + name + "'"
                        + (known.isEmpty() ? " (it has none)" : " (it has " + String.join(", ", known.stream().sorted().toList()) + ")"));
        }
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Binding b : config.sensors()) out.put(b.name(), checkOne(b, in.get(b.name()), sensors, "sensor", controllers));
        for (Binding b : config.controllers()) out.put(b.name(), checkOne(b, in.get(b.name()), controllers, "controller", sensors));
        return out;
    }

    Set<String> sensorIds(AppConfig config, Map<String, List<String>> chosen) {
        return config.sensors().stream().flatMap(b -> chosen.getOrDefault(b.name(), List.of()).stream()).collect(Collectors.toSet());
    }

    Set<String> controllerIds(AppConfig config, Map<String, List<String>> chosen) {
        return config.controllers().stream().flatMap(b -> chosen.getOrDefault(b.name(), List.of()).stream()).collect(Collectors.toSet());
    }

    private static List<String> checkOne(Binding b, List<String> ids, StateView<Device> devices, String what, StateView<Device> others) {
        List<String> list = ids == null ? List.of() : ids;
        String path = "bindings." + b.name();
        if (list.size() < b.min() || list.size() > b.max()) {
            String wanted = b.min() == b.max() ? "exactly " + b.min() : "between " + b.min() + " and " + b.max();
            throw bad(path + ": " + list.size() + " " + what + " instance" + (list.size() == 1 ? "" : "s")
                    + " given; this binding takes " + wanted + " of type '" + b.type() + "'");
        }
        Set<String> seen = new HashSet<>();
        List<String> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String id = list.get(i);
            String at = path + "[" + i + "]";
            if (id == null || id.isBlank()) throw bad(at + ": an instance id is required");
            if (!seen.add(id)) throw bad(at + ": '" + id + "' is given twice");
            Device d = devices.get(id).map(Versioned::value).orElseThrow(() -> bad(at + (others.get(id).isPresent()
                    ? ": '" + id + "' is a " + (what.equals("sensor") ? "controller" : "sensor") + " instance; this binding takes " + what + " instances"
                    : ": there is no " + what + " instance '" + id + "'")));
            if (!d.type().equals(b.type()))
                throw bad(at + ": " + what + " instance '" + id + "' is of type '" + d.type() + "', not '" + b.type() + "'");
            out.add(id);
        }
        return List.copyOf(out);
    }

    private static LatticeException bad(String detail) {
        return LatticeException.badRequest("apps:instance.bindings", detail);
    }
}
