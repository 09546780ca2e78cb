package dev.lattice.models;

import dev.lattice.api.auth.VerifiedCaller;
import dev.lattice.api.models.ModelDeployment;
import dev.lattice.api.models.ModelVersion;
import dev.lattice.api.repository.ArtefactClient;
import dev.lattice.api.repository.Endpoints;
import dev.lattice.bus.Bus;
import dev.lattice.bus.heartbeat.Heartbeat;
import dev.lattice.models.onnx.Onnx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the models service:
 * <ol>
 *   <li>connects to Kafka and starts the heartbeat;</li>
 *   <li>becomes the owner of kinds {@code model-version}, {@code model-deployment} and {@code model-binding};</li>
 *   <li>follows the repository's endpoint (to read staged uploads) and loads ONNX Runtime once,
 *       so the first upload's check does not pay for it;</li>
 *   <li>serves add-model-version, deploy-model, undeploy-model, promote-canary, rollback-canary and
 *       bind-sensors on {@code lattice.requests.models},
 *       and reports UP.</li>
 * </ol>
 * It never runs a model for serving: replicas are model-server workloads placed by the deployer.
 */
public final class ModelsMain implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ModelsMain.class);
    private static final Duration CATCH_UP = Duration.ofSeconds(60);
    private final Bus bus;

    private ModelsMain(Bus bus) {
        this.bus = bus;
    }

    /** {@code scratch}: a folder of this process's own for the files it checks. */
    public static ModelsMain start(Bus bus, Path scratch) {
        try {
            var heartbeat = bus.heartbeat();
            var versions = bus.own(ModelVersion.KIND, ModelVersion.class, CATCH_UP);
            var deployments = bus.own(ModelDeployment.KIND, ModelDeployment.class, CATCH_UP);
            var bindings = bus.own(dev.lattice.api.models.ModelBinding.KIND, dev.lattice.api.models.ModelBinding.class, CATCH_UP);
            Endpoints endpoints = Endpoints.follow(bus, CATCH_UP);
            var placed = bus.view(dev.lattice.workloads.Deployment.KIND, dev.lattice.workloads.Deployment.class);
            placed.awaitCaughtUp(CATCH_UP);
            Onnx.environment();
            Map<String, dev.lattice.bus.rpc.Handler> handlers = new HashMap<>();
            handlers.putAll(new VersionCommands(versions, endpoints, new ArtefactClient(), bus.client(), scratch,
                    bus.clock()).handlers());
            var deploy = new DeployCommands(versions.view(), deployments, bus.client(), placed, ModelServerSpec.ofThisInstallation(),
                    bus.clock());
            handlers.putAll(deploy.handlers());
            handlers.putAll(new BindingCommands(versions.view(), bindings, bus.clock()).handlers());
            bus.serve(handlers, VerifiedCaller.follow(bus));
            keyOlderDeployments(deploy);
            heartbeat.status(Heartbeat.Status.UP);
            log.info("models service ready: {} versions of {} deployments known", versions.view().size(), deployments.view().size());
            return new ModelsMain(bus);
        } catch (RuntimeException e) {
            bus.close();
            throw e;
        }
    }

    /**
     * In the background, as the deployer may still be starting: deployments made before model
     * servers wanted a serve key get one (DeployCommands#keyOlderDeployments). Tried for a few
     * minutes; nothing to do is the usual case.
     */
    private static void keyOlderDeployments(DeployCommands deploy) {
        Thread.ofVirtual().name("models-serve-keys").start(() -> {
            for (int attempt = 1; attempt <= 36; attempt++) {
                try {
                    int keyed = deploy.keyOlderDeployments();
                    if (keyed > 0) log.info("{} model deployment(s) made before serve keys given one: their replicas are replaced", keyed);
                    return;
                } catch (RuntimeException e) {
                    log.debug("cannot give older model deployments a serve key yet (attempt {}): {}", attempt, e.toString());
                }
                try {
                    Thread.sleep(5_000);
                } catch (InterruptedException e) {
                    return;
                }
            }
            log.warn("older model deployments could not be given a serve key: deploy them again");
        });
    }

    @Override
    public void close() {
        bus.close();
    }
}
