package dev.lattice.cli;

import dev.lattice.agent.supervision.ProcessSpec;
import dev.lattice.core.PlatformServices;
import dev.lattice.workloads.JvmCommand;
import java.nio.file.Path;
import java.time.Duration;
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
    /** The control plane's and the agents' young generation at most: see {@link JvmCommand#youngGenerationMb}. */
    private static final int YOUNG_MB = 8;
    private static final Set<String> DATA_PLANE = Set.of(PlatformServices.SENSORS, PlatformServices.GATEWAY);
    private final String java;
    private final String classpath;
    private final Path dataDir;
    private final Map<String, String> commonEnv;
    private final java.util.Optional<ClassDataSharing> cds;

    Launcher(Path dataDir, Map<String, String> commonEnv) {
        this.java = JvmCommand.thisJava();
        this.classpath = JvmCommand.thisClassPath();
        this.dataDir = dataDir;
        Map<String, String> env = new HashMap<>(commonEnv);
        // glibc gives each thread that mallocs an arena of its own (up to 8 per core); the JVM's own
        // allocations need few, and each arena holds on to memory it once used.
        env.putIfAbsent("MALLOC_ARENA_MAX", "2");
        this.commonEnv = Map.copyOf(env);
        this.cds = ClassDataSharing.forDistribution(System.getProperty("lattice.lib"));
    }

    /** A node agent: small heap (it mostly waits), C1 only; its workloads are its children. */
    ProcessSpec agentSpec(String node, List<String> args, Map<String, String> extraEnv) {
        JvmCommand jvm = agentJvm(java);
        cds.ifPresent(c -> jvm.options(c.options("agent-" + node)));
        List<String> cmd = agentMain(jvm, classpath, node, args);
        cds.ifPresent(c -> c.started("agent-" + node, cmd));
        Map<String, String> env = new HashMap<>(commonEnv);
        env.putAll(extraEnv);
        return new ProcessSpec("agent-" + node, cmd, env, dataDir.resolve("logs").resolve("agent-" + node + ".log"));
    }

    /**
     * The command line of the agent a control-plane node's agent runs for a remote Docker server
     * ({@code lattice agent --node NODE} and {@code args}): the same JVM, jars and flags as any agent,
     * without the class-data archive, which only {@code lattice up} makes and replaces.
     */
    static List<String> hostedAgentCommand(String node, List<String> args) {
        return agentMain(agentJvm(JvmCommand.thisJava()), JvmCommand.thisClassPath(), node, args);
    }

    /** Every agent's JVM flags, local or hosted: one place, so the two cannot drift apart. */
    private static JvmCommand agentJvm(String java) {
        return JvmCommand.of(java).heapMb(96).initialHeapMb(16).youngGenerationMb(YOUNG_MB).codeCacheMb(32).quickStart()
                .unsafeMemoryAccess().nativeAccess().trimNativeHeap();
    }

    private static List<String> agentMain(JvmCommand jvm, String classpath, String node, List<String> args) {
        String lib = System.getProperty("lattice.lib");
        if (lib != null) jvm.property("lattice.lib", lib);
        List<String> rest = new ArrayList<>(List.of("agent", "--node", node));
        rest.addAll(args);
        return jvm.property("lattice.service", "agent-" + node).main(classpath, Lattice.class.getName(), rest);
    }

    /**
     * Once the platform is up: makes the class-data archives of the processes started without one,
     * in the background ({@link ClassDataSharing}), so that the next start maps them.
     */
    void makeArchives() {
        cds.ifPresent(c -> c.makeArchives(Duration.ofSeconds(10), dataDir.resolve("logs").resolve("cds.log")));
    }

    /**
     * The gateway buffers bodies and readings; sensors embeds the MQTT broker: both get more heap.
     * Auth less: its live heap is ~46 MiB (password4j keeps one zeroed 19 MiB Argon2 memory per
     * parameter set and copies it for each hash, at most two at once: ~84 MiB at the peak), and with
     * 128 MiB the serial collector kept ~126 MiB committed after the start's hashes (bench/startup).
     */
    private static int maxHeapMb(String service) {
        if (DATA_PLANE.contains(service)) return 256;
        return service.equals(PlatformServices.AUTH) ? 96 : 128;
    }

    ProcessSpec spec(String service, Map<String, String> extraEnv) {
        JvmCommand jvm = JvmCommand.of(java)
                .heapMb(maxHeapMb(service))
                // A small first heap: the serial collector's young generation is a third of it, and every
                // page of it is touched before the first collection, so -Xms is most of an idle service's heap RSS.
                // Not for the data plane: with a 5 MiB young generation, readings at 5,000/s set off a young
                // collection several times a second, and MQTT publish -> Kafka took p50 8-12 ms, p99 76-120 ms;
                // with 64 MiB, 3.9 ms and 41 ms (bench/ingest, same day, PERFORMANCE.md issue 13).
                .initialHeapMb(DATA_PLANE.contains(service) ? 64 : 16)
                // Kafka's clients still call sun.misc.Unsafe; the MQTT broker loads native code through JNA.
                .unsafeMemoryAccess().nativeAccess().trimNativeHeap()
                // The data plane compiles more code (C2): with a 48 MB code cache, filling it set off full
                // collections of 65 ms on the inference path (bench/inference); reserved, not committed.
                .codeCacheMb(DATA_PLANE.contains(service) ? 128 : 48);
        // Control-plane services mostly wait: C1 alone starts faster and holds less code. The data
        // plane (readings through sensors and the gateway) needs C2 for throughput (bench/ingest).
        if (!DATA_PLANE.contains(service)) jvm.quickStart().youngGenerationMb(YOUNG_MB);
        cds.ifPresent(c -> jvm.options(c.options(service)));
        // The models service starts model servers from the same installation: it needs to know where that is.
        String lib = System.getProperty("lattice.lib");
        if (lib != null) jvm.property("lattice.lib", lib);
        List<String> cmd = jvm.property("lattice.service", service).main(classpath, Lattice.class.getName(), List.of("service", service));
        cds.ifPresent(c -> c.started(service, cmd));
        Map<String, String> env = new HashMap<>(commonEnv);
        env.putAll(extraEnv);
        return new ProcessSpec(service, cmd, env, dataDir.resolve("logs").resolve(service + ".log"));
    }
}
