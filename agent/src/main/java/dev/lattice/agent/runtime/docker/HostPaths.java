package dev.lattice.agent.runtime.docker;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * What a command workload needs from this machine inside its container, mounted read-only at the
 * same paths so that a command such as {@code [JAVA_HOME/bin/java, -cp, LIB/*, ...]} runs unchanged.
 *
 * @param javaHome the JDK the agent runs on
 * @param libDirs  the folders holding the Lattice jars, none inside another
 * @param user     {@code uid:gid} of the agent, so that command workloads run as the agent's user, as they do as processes
 */
record HostPaths(Path javaHome, List<Path> libDirs, String user) {
    HostPaths {
        libDirs = List.copyOf(libDirs);
    }

    /** The agent's own JDK, its {@code lattice.lib} folder (or the folders of its class path), and its user. */
    static HostPaths current() {
        Path javaHome = Path.of(System.getProperty("java.home"));
        String lib = System.getProperty("lattice.lib");
        List<Path> dirs = lib != null ? List.of(Path.of(lib))
                : libDirsOf(System.getProperty("java.class.path", ""));
        return new HostPaths(javaHome, dirs, currentUser());
    }

    /**
     * The folders a class path reads from: a jar's folder, or a class folder itself. Nested folders
     * are dropped (their parent is mounted), which turns a Maven class path into fewer mounts.
     */
    static List<Path> libDirsOf(String classPath) {
        TreeSet<Path> dirs = new TreeSet<>();
        for (String entry : classPath.split(File.pathSeparator)) {
            if (entry.isBlank()) continue;
            Path p = Path.of(entry.endsWith("*") ? entry.substring(0, entry.length() - 1) : entry).toAbsolutePath().normalize();
            Path dir = Files.isDirectory(p) ? p : p.getParent();
            // Never the root: mounting "/" over the image would hide it.
            if (dir != null && dir.getParent() != null && Files.isDirectory(dir)) dirs.add(dir);
        }
        List<Path> kept = new ArrayList<>();
        for (Path d : dirs) { // sorted, so a parent comes before everything under it
            if (kept.stream().noneMatch(d::startsWith)) kept.add(d);
        }
        return kept;
    }

    /** The agent's uid:gid, read from the owner of /proc/self (Linux); root if that cannot be read. */
    private static String currentUser() {
        try {
            Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            Object gid = Files.getAttribute(Path.of("/proc/self"), "unix:gid");
            return uid + ":" + gid;
        } catch (IOException | UnsupportedOperationException e) {
            return "0:0";
        }
    }
}
