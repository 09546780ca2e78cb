package dev.lattice.api.apps;

import dev.lattice.core.LatticeException;
import java.util.function.Supplier;

/**
 * Puts a nested value's 400 in its place: a {@link Binding} names its own field ({@code max: ...}),
 * and the config that holds it knows where it sits ({@code config.sensors[1]}), so the message
 * a person reads is {@code config.sensors[1].max: ...}.
 */
final class Located {
    private Located() {}

    static <T> T at(String path, String code, Supplier<T> make) {
        try {
            return make.get();
        } catch (LatticeException e) {
            if (e.status() != 400) throw e;
            throw LatticeException.badRequest(code, path + "." + e.getMessage());
        }
    }

    /**
     * A 400 with code {@code apps:<field>} (indexes left out: {@code config.models[2]} is code
     * {@code apps:config.models}); the detail starts with the path it is about.
     */
    static LatticeException bad(String field, String detail) {
        return LatticeException.badRequest("apps:" + field.replaceAll("\\[\\d+]", ""), detail);
    }
}
