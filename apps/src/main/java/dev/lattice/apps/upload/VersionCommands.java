package dev.lattice.apps.upload;

import dev.lattice.api.apps.AppCommands;
import dev.lattice.api.apps.AppConfig;
import dev.lattice.api.apps.AppRuntime;
import dev.lattice.api.apps.AppVersion;
import dev.lattice.api.apps.Catalog;
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
import dev.lattice.workloads.bundle.Bundle;
import dev.lattice.workloads.bundle.JarCheck;
import dev.lattice.workloads.bundle.Limits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code add-app-version}: checks an uploaded version as a whole — the config against what exists
 * (sensor and controller types, models), the jar (readable, its main class in it) or the bundle
 * (unpacked here, into a scratch folder, under the same limits the agents use) — and only then
 * promotes the staged file into the repository and records the version. Any failure discards the
 * staged file: a refused upload leaves nothing stored. Bundles are opened here, in a platform
 * service, not in the gateway: a hostile archive meets the unpacker in a process that can fail
 * and restart without taking the front door with it.
 */
public final class VersionCommands {
    private static final Logger log = LoggerFactory.getLogger(VersionCommands.class);
    private static final Role[] WRITERS = {Role.ADMIN, Role.APP_DEVELOPER};

    private final StateOwner<AppVersion> versions;
    private final Catalog catalog;
    private final Endpoints endpoints;
    private final ArtefactClient artefacts;
    private final RequestClient client;
    private final Path scratch;
    private final Clock clock;

    public VersionCommands(StateOwner<AppVersion> versions, Catalog catalog, Endpoints endpoints, ArtefactClient artefacts,
                           RequestClient client, Path scratch, Clock clock) {
        this.versions = versions;
        this.catalog = catalog;
        this.endpoints = endpoints;
        this.artefacts = artefacts;
        this.client = client;
        this.scratch = scratch;
        this.clock = clock;
    }

    public Map<String, Handler> handlers() {
        return Map.of(AppCommands.ADD_VERSION, this::add);
    }

    private AppVersion add(Request request) {
        var body = request.payload(AppCommands.AddVersion.class);
        List<String> staged = List.of(body.artefactSha256());
        try {
            request.require(WRITERS);
            AppVersion v = check(body, request.principal());
            StagedFiles.promote(client, AppCommands.SERVICE, staged);
            versions.create(AppVersion.key(v.name(), v.version()), v, request.principal().name());
            log.info("app {} version {} added by {}", v.name(), v.version(), request.principal().name());
            return v;
        } catch (RuntimeException | Error e) {
            // Errors too: an OutOfMemoryError while checking (answered 500) must still leave nothing staged.
            StagedFiles.discard(client, AppCommands.SERVICE, staged);
            throw e;
        }
    }

    private AppVersion check(AppCommands.AddVersion body, Principal by) {
        AppConfig config = body.config();
        if (config == null) throw LatticeException.badRequest("apps:config", "config: missing");
        config.requireKnown(catalog);
        if (versions.view().get(AppVersion.key(config.name(), config.version())).isPresent())
            throw LatticeException.conflict("apps:version.exists", "app '" + config.name() + "' already has version '"
                    + config.version() + "': give the new upload a new version");
        Path dir = null;
        try {
            Files.createDirectories(scratch);
            dir = Files.createTempDirectory(scratch, "check-");
            Path file = artefacts.fetchStaged(endpoints.repository(), body.artefactSha256(), dir.resolve("upload"));
            String main = null;
            if (config.runtime() == AppRuntime.JAVA) main = JarCheck.mainClass(file, config.main());
            else Bundle.unpack(file, dir.resolve("unpacked"), Limits.DEFAULT);
            return new AppVersion(config.name(), config.version(), config,
                    AppCommands.artefactOf(config.runtime(), body.artefactSha256()), main, by.name(), clock.instant());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot check app " + config.name() + " " + config.version(), e);
        } finally {
            if (dir != null) StagedFiles.deleteTree(dir);
        }
    }
}
