package dev.lattice.apps;

import dev.lattice.core.Env;
import java.nio.file.Path;
import java.util.Map;

/**
 * The apps service's settings.
 *
 * @param scratch   a folder of this process's own for the bundles it checks ({@code LATTICE_APPS_SCRATCH},
 *                  default a folder named after the process under the system's temporary folder)
 * @param publicUrl the gateway's URL as app instances reach it ({@code LATTICE_PUBLIC_URL}, default
 *                  {@code http://localhost:8080}), given to each instance as {@code LATTICE_URL}
 */
public record AppsConfig(Path scratch, String publicUrl) {
    public static AppsConfig fromEnv(Map<String, String> env) {
        Env e = Env.of(env);
        return new AppsConfig(e.string("LATTICE_APPS_SCRATCH").map(Path::of)
                .orElse(Path.of(System.getProperty("java.io.tmpdir"), "lattice-apps-" + ProcessHandle.current().pid())),
                e.string("LATTICE_PUBLIC_URL", "http://localhost:8080"));
    }
}
