package dev.lattice.api.sensors;

import dev.lattice.core.LatticeException;
import dev.lattice.core.Names;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;

/** A kind of controller: its name and the commands it takes. */
public record ControllerType(String name, String description, List<CommandSpec> commands) {
    public static final String KIND = "controller-type";

    public ControllerType {
        Names.requireName("name", name);
        description = SensorType.checkDescription(description);
        if (commands == null || commands.isEmpty()) {
            throw LatticeException.badRequest("sensors:commands.empty", "commands: needs at least one command");
        }
        var seen = new HashSet<String>();
        for (int i = 0; i < commands.size(); i++) {
            if (commands.get(i) == null) throw LatticeException.badRequest("core:field.missing", "commands[" + i + "]: is required");
            if (!seen.add(commands.get(i).name())) {
                throw LatticeException.badRequest("sensors:commands.duplicate",
                        "commands[" + i + "].name: '" + commands.get(i).name() + "' appears twice");
            }
        }
        commands = List.copyOf(commands);
    }

    public Optional<CommandSpec> command(String name) {
        return commands.stream().filter(c -> c.name().equals(name)).findFirst();
    }
}
