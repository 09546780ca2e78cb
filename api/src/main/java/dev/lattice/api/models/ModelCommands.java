package dev.lattice.api.models;

import dev.lattice.core.LatticeException;
import dev.lattice.core.Names;
import dev.lattice.workloads.DeployerCommands;

/** The commands the models service answers on {@code lattice.requests.models}, and their messages. */
public final class ModelCommands {
    public static final String SERVICE = "models";
    public static final String ADD_VERSION = "add-model-version";
    public static final String DEPLOY = "deploy-model";
    public static final String UNDEPLOY = "undeploy-model";
    public static final String PROMOTE = "promote-canary";
    public static final String ROLLBACK = "rollback-canary";
    public static final String BIND = "bind-sensors";

    private ModelCommands() {}

    /**
     * A version uploaded through the gateway: its config, and the model file and contract the
     * gateway staged in the repository. The service checks all three together, then promotes the
     * staged files into the store, or discards them.
     *
     * @param contractLanguage {@link ModelVersion#PYTHON} when the contract's file name ends in
     *                         {@code .py}, else {@link ModelVersion#YAML} (also when absent)
     */
    public record AddVersion(ModelConfig config, String modelSha256, String contractSha256, String modelFileName,
                             String contractLanguage) {
        public AddVersion {
            contractLanguage = contractLanguage == null ? ModelVersion.YAML : contractLanguage;
            if (!contractLanguage.equals(ModelVersion.YAML) && !contractLanguage.equals(ModelVersion.PYTHON))
                throw LatticeException.badRequest("models:contract.language", "contract: YAML or Python, not " + contractLanguage);
        }
    }

    /** {@code POST /api/v1/models/{name}/deploy}: the latest version and the config's replicas unless named. */
    public record Deploy(String name, String version, Integer replicas, ModelDeployment.Canary canary) {
        public Deploy(String name, String version, Integer replicas) {
            this(name, version, replicas, null);
        }

        public Deploy {
            Names.requireName("name", name);
            if (replicas != null && (replicas < 1 || replicas > DeployerCommands.MAX_REPLICAS))
                throw LatticeException.badRequest("models:replicas", "replicas: 1.." + DeployerCommands.MAX_REPLICAS + ", not " + replicas);
        }
    }

    /** {@code promote}: the canary's version takes all traffic; {@code rollback}: it loses it ({@code reason} for the record). */
    public record EndCanary(String name, String reason) {
        public EndCanary {
            Names.requireName("name", name);
        }
    }

    /** {@code POST /api/v1/models/{name}/bindings}: the sensors it predicts every reading of (the gateway checked they exist). */
    public record Bind(String name, java.util.List<String> sensors) {
        public Bind {
            Names.requireName("name", name);
            if (sensors == null) throw LatticeException.badRequest("models:bindings", "sensors: a list of sensor instance ids");
            if (sensors.size() > ModelBinding.MAX_SENSORS)
                throw LatticeException.badRequest("models:bindings", "sensors: at most " + ModelBinding.MAX_SENSORS + ", not " + sensors.size());
            for (String s : sensors) Names.requireName("sensors", s);
            sensors = java.util.List.copyOf(new java.util.LinkedHashSet<>(sensors));
        }
    }

    public record Undeploy(String name) {
        public Undeploy {
            Names.requireName("name", name);
        }
    }
}
