package dev.lattice.workloads;

import dev.lattice.core.LatticeException;
import dev.lattice.core.Names;
import java.util.List;
import java.util.Map;

/** The commands the deployer answers on {@code lattice.requests.deployer}, and their messages. */
public final class DeployerCommands {
    public static final String SERVICE = "deployer";
    public static final String CREATE = "create-deployment";
    public static final String DELETE = "delete-deployment";
    /** Create, or replace the spec and replica count of, a platform-made deployment (services only): a new model version. */
    public static final String APPLY = "apply-deployment";
    public static final int MAX_REPLICAS = 100;

    private DeployerCommands() {}

    /** {@code POST /api/v1/deployments}; {@code kind} is set by the platform (models, apps), {@code custom} for users. */
    public record Create(String name, String kind, List<String> command, String image, Integer replicas,
                         Resources resources, String node, Map<String, String> env, WorkloadSpec.Artefact artefact,
                         WorkloadSpec.Http http) {
        public Create(String name, String kind, List<String> command, String image, Integer replicas,
                      Resources resources, String node, Map<String, String> env, WorkloadSpec.Artefact artefact) {
            this(name, kind, command, image, replicas, resources, node, env, artefact, null);
        }

        public Create {
            Names.requireName("name", name);
            kind = kind == null ? Deployment.CUSTOM : kind;
            if (!List.of(Deployment.CUSTOM, Deployment.MODEL, Deployment.APP, Deployment.SERVICE).contains(kind))
                throw LatticeException.badRequest("deployer:kind", "kind: one of custom, model, app, service");
            replicas = replicas == null ? 1 : replicas;
            if (replicas < 0 || replicas > MAX_REPLICAS)
                throw LatticeException.badRequest("deployer:replicas", "replicas: 0.." + MAX_REPLICAS + ", not " + replicas);
            if (node != null) Names.requireName("node", node);
        }

        public WorkloadSpec spec() {
            return new WorkloadSpec(command, image, env, resources, artefact, http);
        }
    }

    public record Delete(String name) {
        public Delete {
            Names.requireName("name", name);
        }
    }
}
