package dev.lattice.cli;

import dev.lattice.agent.process.ProcessSpec;
import dev.lattice.core.PlatformServices;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds the command line of a platform service process: the same JVM and jars as this one,
 * small-heap flags (about ten such processes share two cores; C1 only, which starts faster and
 * uses less memory than C2 for services that mostly wait on I/O), and {@code service NAME} last,
 * so {@code ps} tells them apart.
 */
final class Launcher {
    private static final Set<String> DATA_PLANE = Set.of(PlatformServices.SENSORS, PlatformServices.GATEWAY);
    private final String java;
    private final String classpath;
    private final Path dataDir;
    private final Map<String, String> commonEnv;
    private final java.util.Optional<ClassDataSharing> cds;

    Launcher(Path dataDir, Map<String, String> commonEnv) {
        this.java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String lib = System.getProperty("lattice.lib");
        this.classpath = lib != null ? lib + "/*" : System.getProperty("java.class.path");
        this.dataDir = dataDir;
        Map<String, String> env = new HashMap<>(commonEnv);
        // glibc gives each thread that mallocs an arena of its own (up to 8 per core); the JVM's own
        // allocations need few, and each arena holds on to memory it once used.
        env.putIfAbsent("MALLOC_ARENA_MAX", "2");
        this.commonEnv = Map.copyOf(env);
        this.cds = ClassDataSharing.forDistribution(lib);
    }

    /** A node agent: small heap (it mostly waits), C1 only; its workloads are its children. */
    ProcessSpec agentSpec(String node, List<String> args, Map<String, String> extraEnv) {
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.addAll(List.of("-Xmx96m", "-Xms16m", "-Xss512k", "-XX:+UseSerialGC", "-XX:ReservedCodeCacheSize=32m", "-XX:TieredStopAtLevel=1"));
        if (Runtime.version().feature() >= 23) cmd.add("--sun-misc-unsafe-memory-access=allow");
        if (Runtime.version().feature() >= 22) cmd.add("--enable-native-access=ALL-UNNAMED");
        cds.ifPresent(c -> cmd.addAll(c.options("agent")));
        String lib = System.getProperty("lattice.lib");
        if (lib != null) cmd.add("-Dlattice.lib=" + lib);
        cmd.addAll(List.of("-Dlattice.service=agent-" + node, "-cp", classpath, Lattice.class.getName(), "agent", "--node", node));
        cmd.addAll(args);
        Map<String, String> env = new HashMap<>(commonEnv);
        env.putAll(extraEnv);
        return new ProcessSpec("agent-" + node, cmd, env, dataDir.resolve("logs").resolve("agent-" + node + ".log"));
    }

    ProcessSpec spec(String service, Map<String, String> extraEnv) {
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        // The gateway buffers bodies and readings; sensors embeds the MQTT broker: both get more heap.
        cmd.add(service.equals(PlatformServices.GATEWAY) || service.equals(PlatformServices.SENSORS) ? "-Xmx256m" : "-Xmx128m");
        // A small first heap: the serial collector's young generation is a third of it, and every
        // page of it is touched before the first collection, so -Xms is most of an idle service's heap RSS.
        cmd.add("-Xms16m");
        // Kafka's clients still call sun.misc.Unsafe, which JDK 24+ warns about on every start.
        if (Runtime.version().feature() >= 23) cmd.add("--sun-misc-unsafe-memory-access=allow");
        // The MQTT broker loads native code through JNA, which JDK 24+ warns about without this.
        if (Runtime.version().feature() >= 22) cmd.add("--enable-native-access=ALL-UNNAMED");
        // The data plane compiles more code (C2): with a 48 MB code cache, filling it set off full
        // collections of 65 ms on the inference path (bench/inference); reserved, not committed.
        cmd.addAll(List.of("-Xss512k", "-XX:+UseSerialGC",
                DATA_PLANE.contains(service) ? "-XX:ReservedCodeCacheSize=128m" : "-XX:ReservedCodeCacheSize=48m"));
        // Control-plane services mostly wait: C1 alone starts faster and holds less code. The data
        // plane (readings through sensors and the gateway) needs C2 for throughput (bench/ingest).
        if (!DATA_PLANE.contains(service)) cmd.add("-XX:TieredStopAtLevel=1");
        cds.ifPresent(c -> cmd.addAll(c.options(service)));
        // The models service starts model servers from the same installation: it needs to know where that is.
        String lib = System.getProperty("lattice.lib");
        if (lib != null) cmd.add("-Dlattice.lib=" + lib);
        cmd.addAll(List.of("-Dlattice.service=" + service, "-cp", classpath, Lattice.class.getName(), "service", service));
        Map<String, String> env = new HashMap<>(commonEnv);
        env.putAll(extraEnv);
        return new ProcessSpec(service, cmd, env, dataDir.resolve("logs").resolve(service + ".log"));
    }
}
