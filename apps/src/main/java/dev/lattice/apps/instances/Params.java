package dev.lattice.apps.instances;

import dev.lattice.api.apps.Param;
import dev.lattice.core.LatticeException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An instance's params checked against the app's declared ones: no unknown names, each value of
 * its declared type, a missing one taken from its default or else refused. The result is what the
 * app reads from {@code LATTICE_PARAMS}: every declared param, typed. Stateless.
 */
final class Params {
    private Params() {}

    static Map<String, Object> check(List<Param> declared, Map<String, Object> given) {
        Map<String, Object> in = given == null ? Map.of() : given;
        Map<String, Param> byName = new LinkedHashMap<>();
        declared.forEach(p -> byName.put(p.name(), p));
        for (String name : in.keySet()) {
            if (!byName.containsKey(name))
                throw bad(name, "params." + name + ": the app has no param '" + name + "'"
                        + (byName.isEmpty() ? " (it takes none)" : " (it takes " + String.join(", ", byName.keySet()) + ")"));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Param p : declared) {
            Object value = in.get(p.name());
            if (value == null) {
                if (p.defaultValue() == null)
                    throw bad(p.name(), "params." + p.name() + ": is required (a " + p.type().json() + "; it has no default)");
                out.put(p.name(), p.defaultValue());
                continue;
            }
            Object typed = p.type().accept(value);
            if (typed == null)
                throw bad(p.name(), "params." + p.name() + ": " + (value instanceof String s ? "'" + s + "'" : String.valueOf(value))
                        + " is not a" + (p.type().json().startsWith("i") ? "n " : " ") + p.type().json());
            out.put(p.name(), typed);
        }
        return out;
    }

    private static LatticeException bad(String name, String detail) {
        return LatticeException.badRequest("apps:instance.params", detail);
    }
}
