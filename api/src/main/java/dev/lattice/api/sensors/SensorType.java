package dev.lattice.api.sensors;

import dev.lattice.core.LatticeException;
import dev.lattice.core.Names;
import java.util.List;
import java.util.Optional;

/** A kind of sensor: its name and the typed fields every reading of it carries. */
public record SensorType(String name, String description, List<FieldSpec> fields) {
    public static final String KIND = "sensor-type";

    public SensorType {
        Names.requireName("name", name);
        description = checkDescription(description);
        fields = FieldSpec.checkList("fields", fields, false);
    }

    public Optional<FieldSpec> field(String name) {
        return fields.stream().filter(f -> f.name().equals(name)).findFirst();
    }

    static String checkDescription(String description) {
        if (description == null) return "";
        if (description.length() > 2000) throw LatticeException.badRequest("sensors:description.long", "description: at most 2000 characters");
        return description;
    }
}
