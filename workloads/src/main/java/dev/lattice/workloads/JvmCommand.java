package dev.lattice.workloads;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The one writer of {@code java} command lines, for every JVM Lattice starts: platform services,
 * agents, model servers and Java apps. All of them are many small JVMs on few cores, so each gets
 * a small thread stack and the serial collector (no collector threads per core), and is kept
 * from waking for housekeeping it rarely needs: monitor deflation every 5 s instead of every
 * 250 ms, and no perf-data sampler (20 wake-ups a second; it only feeds {@code jps}/{@code jstat},
 * {@code jcmd PID} still works). A dozen idle JVMs spent ~1 % of a core on these (PERFORMANCE.md,
 * issue 12). The rest is said per kind. Flags a newer JDK needs are added only where the JDK knows them.
 */
public final class JvmCommand {
    private final String java;
    private final List<String> options = new ArrayList<>(List.of("-Xss512k", "-XX:+UseSerialGC",
            "-XX:+UnlockDiagnosticVMOptions", "-XX:AsyncDeflationInterval=5000", "-XX:-UsePerfData"));

    private JvmCommand(String java) {
        this.java = java;
    }

    /** A command for {@code java}, the path of a {@code java} executable. */
    public static JvmCommand of(String java) {
        return new JvmCommand(java);
    }

    /** A command for the JVM this process runs on (a child runs the same JDK as its parent). */
    public static JvmCommand ofThisJvm() {
        return new JvmCommand(thisJava());
    }

    public static String thisJava() {
        return ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /** The class path of this installation: its {@code lib/*} ({@code lattice.lib}), else this JVM's own. */
    public static String thisClassPath() {
        String lib = System.getProperty("lattice.lib");
        return lib != null ? lib + "/*" : System.getProperty("java.class.path");
    }

    /** The largest heap, {@code -Xmx}. */
    public JvmCommand heapMb(long mb) {
        options.add("-Xmx" + mb + "m");
        return this;
    }

    /** The first heap, {@code -Xms}: small, because every page of it is touched before the first collection. */
    public JvmCommand initialHeapMb(long mb) {
        options.add("-Xms" + mb + "m");
        return this;
    }

    /**
     * The largest young generation, {@code -XX:MaxNewSize}. The serial collector gives the young
     * generation a third of the committed heap and touches every page of it between collections,
     * so for a JVM that mostly waits, a cap here is resident memory saved at the price of more
     * (cheap, small) young collections.
     */
    public JvmCommand youngGenerationMb(long mb) {
        options.add("-XX:MaxNewSize=" + mb + "m");
        return this;
    }

    /**
     * Gives freed native memory back to the system every 5 s ({@code -XX:TrimNativeHeapInterval},
     * JDK 22 and later): glibc keeps what a JVM's start freed (class loading, jar reading, the
     * compilers' arenas) in its heap; a trim took 5-11 MiB off each idle platform JVM
     * ({@code jcmd PID System.trim_native_heap}, PERFORMANCE.md issue 12).
     */
    public JvmCommand trimNativeHeap() {
        if (Runtime.version().feature() >= 22) options.add("-XX:TrimNativeHeapInterval=5000");
        return this;
    }

    /** The code cache reserved (not committed). */
    public JvmCommand codeCacheMb(long mb) {
        options.add("-XX:ReservedCodeCacheSize=" + mb + "m");
        return this;
    }

    /** C1 only: starts faster and holds less code, for JVMs that mostly wait rather than compute. */
    public JvmCommand quickStart() {
        options.add("-XX:TieredStopAtLevel=1");
        return this;
    }

    /** Native code without a warning (ONNX Runtime, JNA): JDK 22 and later ask for it. */
    public JvmCommand nativeAccess() {
        if (Runtime.version().feature() >= 22) options.add("--enable-native-access=ALL-UNNAMED");
        return this;
    }

    /** {@code sun.misc.Unsafe} memory access without a warning (Kafka's clients): JDK 24 and later warn. */
    public JvmCommand unsafeMemoryAccess() {
        if (Runtime.version().feature() >= 23) options.add("--sun-misc-unsafe-memory-access=allow");
        return this;
    }

    public JvmCommand property(String key, String value) {
        options.add("-D" + key + "=" + value);
        return this;
    }

    /** Any other JVM options, as they are. */
    public JvmCommand options(List<String> more) {
        options.addAll(more);
        return this;
    }

    /** The whole command: the JVM, its options, then {@code -cp classPath mainClass args}. */
    public List<String> main(String classPath, String mainClass, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.addAll(options);
        cmd.addAll(List.of("-cp", classPath, mainClass));
        cmd.addAll(args);
        return List.copyOf(cmd);
    }
}
