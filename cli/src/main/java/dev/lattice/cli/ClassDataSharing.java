package dev.lattice.cli;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Application class-data sharing for the platform's own JVMs: about a dozen of them start at once on
 * two cores, and most of their start is loading and verifying the same classes (Kafka's clients,
 * Jackson, Jetty). A CDS archive holds those classes already parsed and verified, mapped from a file.
 *
 * <p>Each process kind (a service, the agent) has its own archive in the distribution's
 * {@code cds/} folder, named by a fingerprint of the JVM and the jars, so a rebuild or another JDK
 * never meets a stale one. The first start without one is the training run: it is launched with
 * {@code -XX:+RecordDynamicDumpInfo}, and once the process has been up for a while it asks its own
 * JVM for a dynamic dump (what {@code jcmd PID VM.cds dynamic_dump} does), written to a file of its
 * own and renamed into place, so processes that train at the same time never see a half-written
 * archive. Every later start of that kind, with any data directory, maps it. Where this cannot work
 * (no {@code lattice.lib}, as in a Maven class path) nothing changes.
 */
final class ClassDataSharing {
    private static final Logger log = LoggerFactory.getLogger(ClassDataSharing.class);
    /** The system property that tells a process where to dump its archive (set only on a training run). */
    static final String DUMP_TO = "lattice.cds.dump";
    /**
     * Long enough for the whole platform to have started: a dump costs a second or two of CPU, and
     * a dozen of them at 20 s (tried first) made a first start 50% slower than no archive at all.
     * Spread over a further 20 s so that the processes of one platform do not dump at once.
     */
    private static final Duration DUMP_AFTER = Duration.ofSeconds(60);
    private static final Duration DUMP_SPREAD = Duration.ofSeconds(20);

    private final Path dir;
    private final String fingerprint;

    private ClassDataSharing(Path dir, String fingerprint) {
        this.dir = dir;
        this.fingerprint = fingerprint;
    }

    /** For the distribution whose jars are in {@code lib}; empty without one. */
    static Optional<ClassDataSharing> forDistribution(String lib) {
        if (lib == null || Boolean.getBoolean("lattice.cds.off")) return Optional.empty();
        Path libDir = Path.of(lib);
        try (Stream<Path> jars = Files.list(libDir)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update((System.getProperty("java.home") + "|" + System.getProperty("java.vm.version")).getBytes(StandardCharsets.UTF_8));
            for (Path jar : jars.sorted().toList()) {
                digest.update(("|" + jar.getFileName() + ":" + Files.size(jar) + ":" + Files.getLastModifiedTime(jar).toMillis())
                        .getBytes(StandardCharsets.UTF_8));
            }
            String fp = HexFormat.of().formatHex(digest.digest(), 0, 6);
            return Optional.of(new ClassDataSharing(libDir.toAbsolutePath().getParent().resolve("cds"), fp));
        } catch (IOException | NoSuchAlgorithmException e) {
            log.warn("no class-data sharing: cannot read {}: {}", libDir, e.toString());
            return Optional.empty();
        }
    }

    /** The JVM options for a process of this kind: map its archive, or train one. */
    List<String> options(String kind) {
        Path archive = dir.resolve(kind + "-" + fingerprint + ".jsa");
        if (Files.isReadable(archive)) {
            // Quiet: with --enable-native-access (which the JDK's own base archive was not dumped with)
            // every start printed three [error] lines, although the archive is mapped and used; a JVM
            // that cannot use it at all only starts without it.
            return List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off");
        }
        return List.of("-XX:+RecordDynamicDumpInfo", "-D" + DUMP_TO + "=" + archive);
    }

    /**
     * In a process started by {@link #options} for training: dumps its archive in the background
     * after {@link #DUMP_AFTER}. A failure only costs the next start its speed-up.
     */
    static void trainIfAsked() {
        String target = System.getProperty(DUMP_TO);
        if (target == null) return;
        Thread.ofVirtual().name("cds-dump").start(() -> {
            try {
                Thread.sleep(DUMP_AFTER.plusMillis(java.util.concurrent.ThreadLocalRandom.current().nextLong(DUMP_SPREAD.toMillis())));
                dump(Path.of(target));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /**
     * Removes this kind's archives of other builds or JDKs (~40 MB each, never used again) and what
     * a dump that died left behind. A process still mapping one keeps its pages: unlinking is safe.
     */
    static void removeOthers(Path archive) throws IOException {
        String name = archive.getFileName().toString();
        String kind = name.substring(0, name.lastIndexOf('-'));
        var others = java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(kind) + "-[0-9a-f]{12}\\.jsa.*");
        try (Stream<Path> files = Files.list(archive.getParent())) {
            for (Path f : files.toList()) {
                String n = f.getFileName().toString();
                if (others.matcher(n).matches() && !n.startsWith(name)) Files.deleteIfExists(f);
            }
        }
    }

    private static void dump(Path archive) {
        try {
            Files.createDirectories(archive.getParent());
            if (Files.exists(archive)) return; // another process of the same kind was quicker
            Path tmp = archive.resolveSibling(archive.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
            long t0 = System.nanoTime();
            ManagementFactory.getPlatformMBeanServer().invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"),
                    "vmCds", new Object[] {new String[] {"dynamic_dump", tmp.toString()}}, new String[] {String[].class.getName()});
            if (!Files.exists(tmp)) {
                log.warn("class-data sharing: the JVM wrote no archive to {}", tmp);
                return;
            }
            Files.move(tmp, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            log.info("class-data sharing: wrote {} ({} KiB) in {} ms; later starts of this process map it",
                    archive.getFileName(), Files.size(archive) / 1024, (System.nanoTime() - t0) / 1_000_000);
            removeOthers(archive);
        } catch (Exception e) {
            log.warn("class-data sharing: no archive written to {}: {}", archive, e.toString());
        }
    }
}
