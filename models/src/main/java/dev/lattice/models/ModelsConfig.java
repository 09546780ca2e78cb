package dev.lattice.models;

import dev.lattice.core.Env;
import java.nio.file.Path;
import java.util.Map;

/**
 * The models service's settings.
 *
 * @param scratch a folder of this process's own for the uploads it checks ({@code LATTICE_MODELS_SCRATCH},
 *                default a folder named after the process under the system's temporary folder)
 */
public record ModelsConfig(Path scratch) {
    public static ModelsConfig fromEnv(Map<String, String> env) {
        return new ModelsConfig(Env.of(env).string("LATTICE_MODELS_SCRATCH").map(Path::of)
                .orElse(Path.of(System.getProperty("java.io.tmpdir"), "lattice-models-" + ProcessHandle.current().pid())));
    }
}
