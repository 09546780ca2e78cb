package dev.lattice.apps.instances;

import dev.lattice.api.apps.AppInstance;
import dev.lattice.api.apps.AppRuntime;
import dev.lattice.api.apps.AppVersion;
import dev.lattice.core.Json;
import dev.lattice.workloads.DeployerCommands;
import dev.lattice.workloads.Deployment;
import dev.lattice.workloads.JvmCommand;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The deployment that runs one app instance (kind {@code app}, one replica): a {@code java} app's
 * jar run by the installation's JVM with the Java SDK and its JSON library on the class path, or a
 * {@code command} app's bundle unpacked by the agent and its command run in that folder; in both
 * cases the environment API.md promises ({@code LATTICE_URL}, {@code LATTICE_TOKEN},
 * {@code LATTICE_INSTANCE}, {@code LATTICE_BINDINGS}, {@code LATTICE_PARAMS}). Thread-safe.
 */
public final class WorkloadPlan {
    /** What a java app finds on its class path besides its own jar: the SDK and what it needs. */
    private static final List<String> SDK_JARS = List.of("lattice-sdk-", "jackson-databind-", "jackson-core-", "jackson-annotations-");

    private final String java;
    private final String sdkClassPath;
    private final String publicUrl;

    WorkloadPlan(String java, String sdkClassPath, String publicUrl) {
        this.java = java;
        this.sdkClassPath = sdkClassPath;
        this.publicUrl = publicUrl;
    }

    /** The JVM this process runs on and the SDK jars of this installation ({@code lattice.lib}, else the class path). */
    public static WorkloadPlan ofThisInstallation(String publicUrl) {
        String java = JvmCommand.thisJava();
        String lib = System.getProperty("lattice.lib");
        List<String> jars;
        if (lib != null) {
            try (Stream<Path> files = Files.list(Path.of(lib))) {
                jars = files.map(Path::toString).filter(WorkloadPlan::isSdkJar).sorted().toList();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("cannot list " + lib, e);
            }
        } else {
            jars = Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
                    .filter(p -> isSdkJar(p) || p.replace('\\', '/').contains("/sdk/target/classes")).toList();
        }
        return new WorkloadPlan(java, String.join(File.pathSeparator, jars), publicUrl);
    }

    private static boolean isSdkJar(String path) {
        String name = Path.of(path).getFileName().toString();
        return name.endsWith(".jar") && SDK_JARS.stream().anyMatch(name::startsWith);
    }

    DeployerCommands.Create deployment(AppVersion v, String id, Map<String, List<String>> bindings,
                                       Map<String, Object> params, String token) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("LATTICE_URL", publicUrl);
        env.put("LATTICE_TOKEN", token);
        env.put("LATTICE_INSTANCE", id);
        env.put("LATTICE_BINDINGS", Json.string(bindings));
        env.put("LATTICE_PARAMS", Json.string(params));
        env.put("LATTICE_APP", v.name());
        env.put("LATTICE_APP_VERSION", v.version());
        return new DeployerCommands.Create(AppInstance.deploymentOf(id), Deployment.APP, command(v), null, 1,
                v.config().resources(), null, env, v.artefact(), null);
    }

    private List<String> command(AppVersion v) {
        if (v.config().runtime() == AppRuntime.COMMAND) return v.config().command();
        String cp = v.artefact().fileName() + (sdkClassPath.isEmpty() ? "" : File.pathSeparator + sdkClassPath);
        // Apps are small and many on 2 cores: a quick start matters more than peak speed.
        return JvmCommand.of(java).heapMb(Math.max(32, v.config().resources().memoryMb() / 2)).quickStart()
                .main(cp, v.mainClass(), List.of());
    }
}
