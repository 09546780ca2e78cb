package dev.lattice.api.apps;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lattice.core.Names;
import dev.lattice.workloads.WorkloadSpec;
import java.util.List;
import java.util.Map;

/** The commands the apps service answers on {@code lattice.requests.apps}, and their messages. */
public final class AppCommands {
    public static final String SERVICE = "apps";
    public static final String ADD_VERSION = "add-app-version";
    public static final String CREATE_INSTANCE = "create-app-instance";
    public static final String DELETE_INSTANCE = "delete-app-instance";

    private AppCommands() {}

    /**
     * A version uploaded through the gateway: its config (already parsed there) and the jar or
     * bundle the gateway staged in the repository. The service checks the config against the
     * catalog and the file against the runtime, then promotes the file, or discards it.
     */
    public record AddVersion(AppConfig config, String artefactSha256) {}

    /** {@code POST /api/v1/apps/{name}/instances}: the latest version of {@code app}. */
    public record CreateInstance(String app, Map<String, List<String>> bindings, Map<String, Object> params, JsonNode schedule) {
        public CreateInstance {
            Names.requireName("app", app);
        }
    }

    public record DeleteInstance(String id) {
        public DeleteInstance {
            Names.requireName("id", id);
        }
    }

    /** The answer to create: API.md's {@code {"id","status"}}. */
    public record Created(String id, String status) {}

    /** A bundle is unpacked by the agent into the workload's folder; a jar is run as it is. */
    public static WorkloadSpec.Artefact artefactOf(AppRuntime runtime, String sha256) {
        return runtime == AppRuntime.JAVA ? new WorkloadSpec.Artefact(sha256, "app.jar")
                : new WorkloadSpec.Artefact(sha256, "bundle", true);
    }
}
