package dev.lattice.models;

import dev.lattice.api.models.ModelCommands;
import dev.lattice.api.models.ModelConfig;
import dev.lattice.api.models.ModelSignature;
import dev.lattice.api.models.ModelVersion;
import dev.lattice.api.models.contract.Contract;
import dev.lattice.api.repository.ArtefactClient;
import dev.lattice.api.repository.Endpoints;
import dev.lattice.api.repository.StagedFiles;
import dev.lattice.bus.rpc.Handler;
import dev.lattice.bus.rpc.Request;
import dev.lattice.bus.rpc.RequestClient;
import dev.lattice.bus.state.StateOwner;
import dev.lattice.core.LatticeException;
import dev.lattice.core.Principal;
import dev.lattice.core.Role;
import dev.lattice.models.onnx.ModelSignatures;
import dev.lattice.models.python.PythonChecks;
import dev.lattice.models.python.PythonContract;
import dev.lattice.workloads.WorkloadSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code add-model-version}: checks an uploaded version as a whole — config, model file (it must
 * load in ONNX Runtime) and contract (it must parse and fit the model's tensors) — and only then
 * promotes the staged files into the repository and records the version. Any failure discards
 * the staged files: a refused upload leaves nothing stored. The checks run here, in a platform
 * service, not in the gateway: a hostile model file meets ONNX Runtime's parser in a process that
 * can crash and restart without taking the platform's front door with it.
 */
final class VersionCommands {
    private static final Logger log = LoggerFactory.getLogger(VersionCommands.class);
    private static final Role[] WRITERS = {Role.ADMIN, Role.DATA_SCIENTIST};

    private final StateOwner<ModelVersion> versions;
    private final Endpoints endpoints;
    private final ArtefactClient artefacts;
    private final RequestClient client;
    private final Path scratch;
    private final Clock clock;

    VersionCommands(StateOwner<ModelVersion> versions, Endpoints endpoints, ArtefactClient artefacts, RequestClient client,
                    Path scratch, Clock clock) {
        this.versions = versions;
        this.endpoints = endpoints;
        this.artefacts = artefacts;
        this.client = client;
        this.scratch = scratch;
        this.clock = clock;
    }

    Map<String, Handler> handlers() {
        return Map.of(ModelCommands.ADD_VERSION, this::add);
    }

    private ModelVersion add(Request request) {
        var body = request.payload(ModelCommands.AddVersion.class);
        List<String> staged = List.of(body.modelSha256(), body.contractSha256());
        try {
            request.require(WRITERS);
            ModelVersion v = check(body, request.principal());
            StagedFiles.promote(client, ModelCommands.SERVICE, staged);
            versions.create(ModelVersion.key(v.name(), v.version()), v, request.principal().name());
            log.info("model {} version {} added by {}", v.name(), v.version(), request.principal().name());
            return v;
        } catch (RuntimeException | Error e) {
            // Errors too: an OutOfMemoryError while checking (answered 500) must still leave nothing staged.
            StagedFiles.discard(client, ModelCommands.SERVICE, staged);
            throw e;
        }
    }

    private ModelVersion check(ModelCommands.AddVersion body, Principal by) {
        ModelConfig config = body.config();
        if (config == null) throw LatticeException.badRequest("models:config", "config: missing");
        String key = ModelVersion.key(config.name(), config.version());
        if (versions.view().get(key).isPresent())
            throw LatticeException.conflict("models:version.exists", "model '" + config.name() + "' already has version '"
                    + config.version() + "': give the new upload a new version");
        Path dir = null;
        try {
            Files.createDirectories(scratch);
            dir = Files.createTempDirectory(scratch, "check-");
            Path model = artefacts.fetchStaged(endpoints.repository(), body.modelSha256(), dir.resolve("model.onnx"));
            Path contractFile = artefacts.fetchStaged(endpoints.repository(), body.contractSha256(), dir.resolve("contract"));
            String text = Files.readString(contractFile, StandardCharsets.UTF_8);
            ModelSignature signature = ModelSignatures.inspect(model);
            String contract;
            if (body.contractLanguage().equals(ModelVersion.PYTHON)) {
                PythonChecks.check(PythonContract.of(text, config.contract()), config.example(), model, signature,
                        // Not under the data folder (root's only): a worker started as root runs as nobody, who must reach its folder.
                        Path.of(System.getProperty("java.io.tmpdir")));
                contract = text;
            } else {
                Contract parsed = Contract.parse(text);
                parsed.check(signature);
                contract = parsed.toJson();
            }
            String fileName = "model.onnx";
            return new ModelVersion(config.name(), config.version(), config,
                    new WorkloadSpec.Artefact(body.modelSha256(), fileName), body.contractSha256(), contract,
                    signature, by.name(), clock.instant(), body.contractLanguage());
        } catch (java.nio.charset.MalformedInputException e) {
            throw LatticeException.badRequest("models:contract.encoding", "contract: not UTF-8 text");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot check model " + config.name() + " " + config.version(), e);
        } finally {
            if (dir != null) StagedFiles.deleteTree(dir);
        }
    }
}
