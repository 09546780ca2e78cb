package dev.lattice.api.apps;

import static dev.lattice.api.apps.Located.bad;

import dev.lattice.api.scheduler.Schedule;
import dev.lattice.workloads.Resources;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An app's config as the developer uploads it (JSON or YAML; API.md "Applications"): what the app
 * is, how it runs, the sensor and controller slots an end user fills per instance, the models it
 * calls, the params it takes, an optional default schedule and what each instance reserves.
 *
 * <p>Immutable; every value is checked at construction, each mistake a 400 whose message names
 * its place ({@code config.sensors[1].max: 0 is less than min 1}). Whether the types and models
 * it names exist is a question for {@link #requireKnown(Catalog)}, asked at upload.
 */
public record AppConfig(String name, String version, String description, AppRuntime runtime,
                        String main, List<String> command, List<Binding> sensors, List<Binding> controllers,
                        List<String> models, List<Param> params, Schedule schedule, Resources resources) {
    public static final int MAX_BYTES = 64 * 1024;
    /** Room left in a 63-character name for the prefixes and instance ids of what runs the app. */
    public static final int MAX_NAME = 40;
    public static final int MAX_DESCRIPTION = 2000;
    public static final Resources DEFAULT_RESOURCES = new Resources(0.25, 256);
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,31}");
    private static final Pattern CLASS_NAME = Pattern.compile("[\\p{L}_$][\\p{L}\\p{N}_$]*(\\.[\\p{L}_$][\\p{L}\\p{N}_$]*)*");

    public AppConfig {
        if (name == null || name.isBlank()) throw bad("config.name", "config: 'name' is missing");
        Keys.requireName("config.name", name);
        if (name.length() > MAX_NAME) throw bad("config.name", "config.name: at most " + MAX_NAME + " characters");
        if (version == null || version.isBlank()) throw bad("config.version", "config: 'version' is missing");
        if (!VERSION.matcher(version).matches())
            throw bad("config.version", "config.version: letters, digits, '.', '_' or '-' (at most 32), not '" + version + "'");
        description = description == null ? "" : description;
        if (description.length() > MAX_DESCRIPTION)
            throw bad("config.description", "config.description: at most " + MAX_DESCRIPTION + " characters");
        if (runtime == null) throw bad("config.runtime", "config: 'runtime' is missing ('java' or 'command')");
        command = command == null ? List.of() : List.copyOf(command);
        requireEntryPoint(runtime, main, command);
        sensors = sensors == null ? List.of() : List.copyOf(sensors);
        controllers = controllers == null ? List.of() : List.copyOf(controllers);
        requireUniqueBindings(sensors, controllers);
        models = models == null ? List.of() : List.copyOf(models);
        requireModels(models);
        params = params == null ? List.of() : List.copyOf(params);
        requireUniqueParams(params);
        resources = resources == null ? DEFAULT_RESOURCES : resources;
    }

    /** Reads a config file: JSON or YAML (JSON is YAML), each mistake a 400 naming its place. */
    public static AppConfig parse(byte[] text) {
        return ConfigReader.read(text);
    }

    /** {@link #parse}, then {@link #requireKnown}: what the upload checks before storing anything. */
    public static AppConfig parse(byte[] text, Catalog catalog) {
        return parse(text).requireKnown(catalog);
    }

    /**
     * Checks that every sensor and controller type and every model this config names exists.
     *
     * @return this config, for chaining
     * @throws dev.lattice.core.LatticeException 400 naming the first unknown one
     */
    public AppConfig requireKnown(Catalog catalog) {
        for (int i = 0; i < sensors.size(); i++) {
            String type = sensors.get(i).type();
            if (!catalog.sensorType(type))
                throw bad("config.sensors", "config.sensors[" + i + "].type: there is no sensor type '" + type + "'");
        }
        for (int i = 0; i < controllers.size(); i++) {
            String type = controllers.get(i).type();
            if (!catalog.controllerType(type))
                throw bad("config.controllers", "config.controllers[" + i + "].type: there is no controller type '" + type + "'");
        }
        for (int i = 0; i < models.size(); i++) {
            if (!catalog.model(models.get(i)))
                throw bad("config.models", "config.models[" + i + "]: there is no model '" + models.get(i) + "'");
        }
        return this;
    }

    private static void requireEntryPoint(AppRuntime runtime, String main, List<String> command) {
        if (runtime == AppRuntime.JAVA) {
            if (!command.isEmpty()) throw bad("config.command", "config.command: only for runtime 'command'; a java app gives 'main' or its jar's Main-Class");
            if (main != null && !CLASS_NAME.matcher(main).matches())
                throw bad("config.main", "config.main: a fully qualified class name (com.example.Main), not '" + main + "'");
            return;
        }
        if (main != null) throw bad("config.main", "config.main: only for runtime 'java'; a command app gives 'command'");
        if (command.isEmpty()) throw bad("config.command", "config: 'command' is missing (what to run in the bundle's folder)");
        for (int i = 0; i < command.size(); i++) {
            String arg = command.get(i);
            if (arg == null || (i == 0 && arg.isBlank()))
                throw bad("config.command", "config.command[" + i + "]: " + (i == 0 ? "the program to run" : "a string") + " is required");
            if (arg.indexOf('\0') >= 0) throw bad("config.command", "config.command[" + i + "]: contains a NUL character");
        }
    }

    /** Binding names are the keys of one {@code LATTICE_BINDINGS} object, so unique across both lists. */
    private static void requireUniqueBindings(List<Binding> sensors, List<Binding> controllers) {
        Map<String, String> seen = new HashMap<>();
        for (var list : List.of(Map.entry("sensors", sensors), Map.entry("controllers", controllers))) {
            for (int i = 0; i < list.getValue().size(); i++) {
                String path = "config." + list.getKey() + "[" + i + "]";
                String first = seen.putIfAbsent(list.getValue().get(i).name(), path);
                if (first != null)
                    throw bad("config." + list.getKey(), path + ".name: '" + list.getValue().get(i).name() + "' is already the name of " + first);
            }
        }
    }

    private static void requireModels(List<String> models) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < models.size(); i++) {
            String path = "config.models[" + i + "]";
            Keys.requireName(path, models.get(i));
            if (!seen.add(models.get(i))) throw bad("config.models", path + ": '" + models.get(i) + "' is listed twice");
        }
    }

    private static void requireUniqueParams(List<Param> params) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < params.size(); i++) {
            if (!seen.add(params.get(i).name()))
                throw bad("config.params", "config.params[" + i + "].name: '" + params.get(i).name() + "' is already a param");
        }
    }
}
