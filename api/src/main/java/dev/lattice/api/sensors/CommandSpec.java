package dev.lattice.api.sensors;

import dev.lattice.core.Names;
import java.util.List;

/** A command a controller type understands, with its typed parameters. */
public record CommandSpec(String name, List<FieldSpec> params) {
    public CommandSpec {
        Names.requireName("name", name);
        params = FieldSpec.checkList("params", params, true);
    }
}
