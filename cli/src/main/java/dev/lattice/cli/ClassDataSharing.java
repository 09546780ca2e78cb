package dev.lattice.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Application class-data sharing for the platform's own JVMs: about a dozen of them start at once on
 * two cores, and most of their start is loading and verifying the same classes (Kafka's clients,
 * Jackson, Jetty). A CDS archive holds those classes already parsed and verified, mapped from a file.
 *
 * <p>Each process kind (a service, each node's agent) has its own archive in the distribution's
 * {@code cds/} folder, managed by the JVM itself ({@code -XX:+AutoCreateSharedArchive}, JDK 19+):
 * a process that finds none, or one made from other jars or another JDK, writes a fresh one when
 * it exits normally; every later start maps it. A dump while the process went on running (asked
 * for through the diagnostic command, tried first) crashed the JVM in its lambda-proxy table a
 * few seconds later on JDK 25, so archives are made only at exit. Where this cannot work (no
 * {@code lattice.lib}, as in a Maven class path; an older JDK) nothing changes.
 */
final class ClassDataSharing {
    private final Path dir;

    private ClassDataSharing(Path dir) {
        this.dir = dir;
    }

    /** For the distribution whose jars are in {@code lib}; empty without one or before JDK 19. */
    static Optional<ClassDataSharing> forDistribution(String lib) {
        if (lib == null || Boolean.getBoolean("lattice.cds.off") || Runtime.version().feature() < 19) return Optional.empty();
        Path dir = Path.of(lib).toAbsolutePath().getParent().resolve("cds");
        try {
            Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            return Optional.empty();
        }
        return Optional.of(new ClassDataSharing(dir));
    }

    /**
     * The JVM options for a process of this kind. Quiet: a JVM that finds the archive stale says so
     * at length before it makes a new one, and with --enable-native-access (which the JDK's own base
     * archive was not dumped with) every start printed three [error] lines although the archive is used.
     */
    List<String> options(String kind) {
        return List.of("-XX:+AutoCreateSharedArchive", "-XX:SharedArchiveFile=" + dir.resolve(kind + ".jsa"),
                "-Xlog:cds=off", "-Xlog:cds+dynamic=off");
    }
}
