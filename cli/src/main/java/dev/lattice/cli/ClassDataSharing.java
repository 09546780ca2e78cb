package dev.lattice.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Application class-data sharing for the platform's own JVMs: about a dozen of them start at once on
 * two cores, and most of their start is loading and verifying the same classes (Kafka's clients,
 * Jackson, Jetty). A CDS archive holds those classes already parsed and verified, mapped from a file.
 *
 * <p>Every service and every node's agent maps <em>one</em> static archive, {@code cds/platform.jsa},
 * made from the classes all of them loaded: the pages of a file mapped read-only are held once by the
 * machine however many processes map them, so twelve JVMs share ~40 MiB each of class data instead of
 * holding twelve copies (one archive per kind did; PERFORMANCE.md, issue 12). While there is no usable
 * archive, each process is started with a class list ({@code -XX:DumpLoadedClassList}, written as
 * classes load); once the platform is up, {@link #makeArchives} merges the lists and dumps the archive
 * ({@code -Xshare:dump}) in a separate JVM, off the start's path, and renames it into place whole.
 * Every later start maps it.
 *
 * <p>Why not the JVM's own ways, tried first: a dump while the process ran on (the diagnostic
 * command) crashed the JVM a few seconds later on JDK 25 (SIGSEGV in its lambda-proxy table); an
 * archive written at exit ({@code -XX:+AutoCreateSharedArchive}) competed with a dozen others for
 * two cores during a stop, so most processes were killed at the end of the grace period with their
 * archive unwritten or cut short, and a stale one was often not remade. An archive older than a jar
 * of the distribution or the JDK, or cut short, is deleted before a start. Where this cannot work
 * (no {@code lattice.lib}, as in a Maven class path; an older JDK) nothing changes.
 */
final class ClassDataSharing {
    private static final Logger log = LoggerFactory.getLogger(ClassDataSharing.class);
    /** The first four bytes of a complete static archive (its header is written last). */
    private static final int STATIC_MAGIC = 0xf00baba2;
    private static final Duration DUMP_LIMIT = Duration.ofMinutes(3);
    private static final String LIST_OPTION = "-XX:DumpLoadedClassList=";
    /** The archive every platform process maps. */
    static final String ARCHIVE = "platform.jsa";
    /** The `up` JVM's own archive, which the `lattice` script has the JVM write at exit. */
    private static final String UP_ARCHIVE = "up.jsa";

    private final Path dir;
    private final long newestInput;
    /** The command lines of the kinds started with a class list (which the command names). */
    private final Map<String, List<String>> training = new LinkedHashMap<>();
    private volatile Process dumping;
    private volatile boolean closed;

    private ClassDataSharing(Path dir, long newestInput) {
        this.dir = dir;
        this.newestInput = newestInput;
    }

    /** For the distribution whose jars are in {@code lib}; empty without one or before JDK 19. */
    static Optional<ClassDataSharing> forDistribution(String lib) {
        if (lib == null || Boolean.getBoolean("lattice.cds.off") || Runtime.version().feature() < 19) return Optional.empty();
        Path dir = Path.of(lib).toAbsolutePath().getParent().resolve("cds");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            return Optional.empty();
        }
        removeLeftovers(dir);
        long newest = Math.max(newest(Path.of(lib)), lastModified(Path.of(System.getProperty("java.home"), "lib", "modules")));
        return Optional.of(new ClassDataSharing(dir, newest));
    }

    /** The JVM options for a process of this kind: the platform's archive, or a class list to make it from. */
    List<String> options(String kind) {
        Path archive = dir.resolve(ARCHIVE);
        // Mapped where it was dumped, not moved: since JDK 20 the JVM relocates an archive to a random
        // address by default, which patches (so dirties and copies) every page of it, ~36 of 47 MiB in a
        // service, and costs CPU at each start (PERFORMANCE.md, issue 12). The archive holds platform
        // classes only and workloads never get it; their own JVMs keep the default.
        if (usable(archive)) return List.of("-XX:SharedArchiveFile=" + archive, "-XX:+UnlockDiagnosticVMOptions",
                "-XX:ArchiveRelocationMode=0", "-Xlog:cds=off", "-Xlog:cds+dynamic=off");
        try {
            Files.deleteIfExists(archive);
        } catch (IOException e) {
            // another start is replacing it: the JVM copes with what it finds
        }
        return List.of(LIST_OPTION + dir.resolve(kind + "." + ProcessHandle.current().pid() + ".classlist"));
    }

    /** The whole command of a process of this kind: if it writes a class list, its archive is made with the same options. */
    synchronized void started(String kind, List<String> command) {
        if (command.stream().anyMatch(a -> a.startsWith(LIST_OPTION))) training.put(kind, List.copyOf(command));
    }

    /**
     * In {@code after} (the processes have loaded what they need to start), merges the class lists of
     * the kinds started with one and makes the platform's archive from them, on a background thread;
     * the dump's output goes to {@code logFile}. Nothing to do when every kind mapped the archive. A
     * dump under way when this JVM stops is stopped: its half-made archive is never used.
     */
    void makeArchives(Duration after, Path logFile) {
        List<List<String>> todo;
        synchronized (this) {
            todo = new ArrayList<>(training.values());
            training.clear();
        }
        if (todo.isEmpty()) return;
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, "cds-archives-stop"));
        Thread.ofPlatform().daemon().name("cds-archives").start(() -> {
            try {
                Thread.sleep(after.toMillis());
                if (!closed) make(todo, logFile);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    private void make(List<List<String>> commands, Path logFile) throws InterruptedException {
        List<Path> lists = commands.stream().map(c -> Path.of(c.stream().filter(a -> a.startsWith(LIST_OPTION))
                .findFirst().orElseThrow().substring(LIST_OPTION.length()))).toList();
        long pid = ProcessHandle.current().pid();
        Path merged = dir.resolve("platform." + pid + ".list");
        Path tmp = dir.resolve("platform." + pid + ".jsa.tmp");
        try {
            List<List<String>> contents = new ArrayList<>();
            for (Path list : lists) {
                if (Files.exists(list)) contents.add(wholeLines(list));
            }
            List<String> classes = mergeClassLists(contents);
            if (classes.isEmpty()) return;
            Files.write(merged, classes);
            // Any kind's command serves: the platform's JVMs differ in heap and compiler options only,
            // which an archive does not depend on (its heap objects are relocated to fit).
            List<String> cmd = new ArrayList<>(dumpCommand(commands.get(0), merged, tmp));
            // Below the platform's own processes: a dump is several seconds of a core, and nothing waits for it.
            if (Files.isExecutable(Path.of("/usr/bin/nice"))) cmd.addAll(0, List.of("/usr/bin/nice", "-n", "10"));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            long t0 = System.nanoTime();
            Process p = pb.start();
            dumping = p;
            boolean done = p.waitFor(DUMP_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
            if (!done) p.destroyForcibly();
            if (done && p.exitValue() == 0 && magic(tmp) == STATIC_MAGIC && !closed) {
                Files.move(tmp, dir.resolve(ARCHIVE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                log.info("class-data archive for {} kinds made in {} ms", contents.size(), (System.nanoTime() - t0) / 1_000_000);
            } else if (!closed) {
                log.warn("no class-data archive (exit {}): see {}", done ? p.exitValue() : "timeout", logFile);
            }
        } catch (IOException e) {
            log.warn("no class-data archive: {}", e.toString());
        } finally {
            dumping = null;
            List<Path> done = new ArrayList<>(lists);
            done.addAll(List.of(merged, tmp));
            for (Path f : done) {
                try {
                    Files.deleteIfExists(f);
                } catch (IOException ignored) {
                    // a leftover in cds/, replaced next time
                }
            }
        }
    }

    /** The lines of a class list written so far, whole (its process is still appending to it). */
    private static List<String> wholeLines(Path list) throws IOException {
        byte[] bytes = Files.readAllBytes(list);
        int end = bytes.length;
        while (end > 0 && bytes[end - 1] != '\n') end--;
        return new String(bytes, 0, end, java.nio.charset.StandardCharsets.UTF_8).lines().toList();
    }

    /**
     * One class list from several processes' lists: each class once, in the order first seen, numbered
     * anew (a list numbers its classes from 0, so ids of two lists collide), then each {@code @} line
     * (lambda proxies, lambda-form invokers) once. Classes of custom loaders ({@code super:}/{@code source:},
     * whose ids other lines refer to) are left out: the platform's classes come from the class path.
     */
    static List<String> mergeClassLists(List<List<String>> lists) {
        var classes = new java.util.LinkedHashSet<String>();
        var at = new java.util.LinkedHashSet<String>();
        for (List<String> list : lists) {
            for (String line : list) {
                if (line.isBlank() || line.startsWith("#")) continue;
                if (line.startsWith("@")) at.add(line);
                else if (!line.contains(" super:") && !line.contains(" source:")) classes.add(line.split(" ", 2)[0]);
            }
        }
        List<String> merged = new ArrayList<>();
        int id = 0;
        for (String c : classes) merged.add(c + " id: " + id++);
        merged.addAll(at);
        return merged;
    }

    /** The run command's JVM and options (without the class list), then a static dump of the list on its class path. */
    static List<String> dumpCommand(List<String> run, Path list, Path archive) {
        List<String> cmd = new ArrayList<>();
        int cp = run.indexOf("-cp");
        if (cp < 1 || cp + 1 >= run.size()) throw new IllegalArgumentException("no -cp in " + run);
        for (String arg : run.subList(0, cp)) {
            if (!arg.startsWith(LIST_OPTION)) cmd.add(arg);
        }
        cmd.addAll(List.of("-Xshare:dump", "-XX:SharedClassListFile=" + list, "-XX:SharedArchiveFile=" + archive,
                "-Xlog:cds=error", "-cp", run.get(cp + 1)));
        return cmd;
    }

    private boolean usable(Path archive) {
        return Files.exists(archive) && lastModified(archive) >= newestInput && magic(archive) == STATIC_MAGIC;
    }

    private static int magic(Path file) {
        try (var in = new java.io.DataInputStream(Files.newInputStream(file))) {
            return Integer.reverseBytes(in.readInt());
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * Class lists and half-made archives of platforms that ended before their archive was made, and
     * the archives of earlier builds that had one per kind.
     */
    private static void removeLeftovers(Path dir) {
        long hourAgo = System.currentTimeMillis() - Duration.ofHours(1).toMillis();
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                boolean leftover = name.endsWith(".classlist") || name.endsWith(".list") || name.endsWith(".jsa.tmp");
                boolean perKind = name.endsWith(".jsa") && !name.equals(ARCHIVE) && !name.equals(UP_ARCHIVE);
                if (perKind || leftover && lastModified(f) < hourAgo) Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            // another start is cleaning up too
        }
    }

    private static long newest(Path lib) {
        try (var jars = Files.list(lib)) {
            return jars.mapToLong(ClassDataSharing::lastModified).max().orElse(0);
        } catch (IOException e) {
            return 0;
        }
    }

    private static long lastModified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    /** Stops a dump under way (the platform is stopping): its half-made archive is never used. */
    private void close() {
        closed = true;
        Process p = dumping;
        if (p != null) p.destroyForcibly();
    }
}
