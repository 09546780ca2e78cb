package dev.lattice.api.sensors;

import dev.lattice.core.LatticeException;
import dev.lattice.core.Names;
import java.util.HashSet;
import java.util.List;
import java.util.regex.Pattern;

/** A named, typed value: a field of a sensor type or a parameter of a controller command. */
public record FieldSpec(String name, FieldType type) {
    private static final Pattern FIELD = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

    public FieldSpec {
        Names.requirePresent("name", name);
        Names.requirePresent("type", type);
        if (!FIELD.matcher(name).matches() || name.equals("ts")) {
            throw LatticeException.badRequest("sensors:field.name", "name: '" + name
                    + "' must be a letter or '_' then up to 62 letters, digits or '_' (and not 'ts', which every reading has)");
        }
    }

    /** Checks a list of fields: present, at most 64, names unique; {@code where} prefixes the 400's field path. */
    static List<FieldSpec> checkList(String where, List<FieldSpec> fields, boolean mayBeEmpty) {
        if (fields == null) {
            if (mayBeEmpty) return List.of();
            throw LatticeException.badRequest("core:field.missing", where + ": is required");
        }
        if (!mayBeEmpty && fields.isEmpty()) throw LatticeException.badRequest("sensors:fields.empty", where + ": needs at least one entry");
        if (fields.size() > 64) throw LatticeException.badRequest("sensors:fields.many", where + ": at most 64 entries");
        var seen = new HashSet<String>();
        for (int i = 0; i < fields.size(); i++) {
            FieldSpec f = fields.get(i);
            if (f == null) throw LatticeException.badRequest("core:field.missing", where + "[" + i + "]: is required");
            if (!seen.add(f.name())) {
                throw LatticeException.badRequest("sensors:fields.duplicate", where + "[" + i + "].name: '" + f.name() + "' appears twice");
            }
        }
        return List.copyOf(fields);
    }
}
