package dev.lattice.agent.runtime.sandbox;

import dev.lattice.agent.runtime.Sandbox;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The command line that confines one workload: Debian's {@code bwrap} makes its namespaces and
 * its view of the file system, then {@code setpriv} drops to its uid with no capabilities.
 * bwrap running as root keeps nearly all capabilities inside (it could unmount what hides a
 * secret), so setpriv always runs last. No {@code --die-with-parent}: bwrap's parent is the agent,
 * and a workload must outlive an agent's {@code kill -9} for the next agent to adopt it.
 *
 * <p>The view: the system read-only; its own folder read-write; a private {@code /tmp}; its own
 * {@code /proc} (only its processes) and a minimal {@code /dev}; each hidden folder (the
 * platform's data) replaced by an empty one. A folder it must see but that lies under a folder
 * only root may enter (a JDK or Lattice's jars under {@code /root}, its own folder under the
 * hidden data folder) is reached through empty, enterable folders laid over the way to it.
 */
public final class Bubblewrap {
    public static final Path BWRAP = Path.of("/usr/bin/bwrap");
    public static final Path SETPRIV = Path.of("/usr/bin/setpriv");
    private static final Path TMP = Path.of("/tmp");

    private Bubblewrap() {}

    /**
     * The command that runs {@code command} confined.
     *
     * @param folder   its own folder: the only place it may write, besides its private /tmp
     * @param workDir  where it starts (its folder or one inside it)
     * @param readOnly folders it needs to read wherever they are (the JDK, Lattice's jars)
     */
    public static List<String> wrap(Sandbox sandbox, Path folder, Path workDir, List<Path> readOnly, List<String> command) {
        List<String> cmd = new ArrayList<>(List.of(BWRAP.toString(), "--unshare-pid", "--unshare-ipc", "--unshare-uts",
                "--hostname", "lattice-workload", "--new-session",
                "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--perms", "1777", "--tmpfs", TMP.toString()));
        Path own = real(folder);
        List<Path> visible = new ArrayList<>();
        visible.add(own);
        readOnly.stream().map(Bubblewrap::real).filter(Files::isDirectory).forEach(visible::add);

        // Empty folders over what is hidden and over each root-only folder on the way to what must be seen.
        Set<Path> covers = new LinkedHashSet<>();
        sandbox.hidden().stream().map(Bubblewrap::real).forEach(covers::add);
        for (Path p : visible) {
            for (Path a = p.getParent(); a != null && a.getParent() != null; a = a.getParent()) {
                if (!enterable(a)) covers.add(a);
            }
        }
        List<Path> outermost = covers.stream().sorted(Comparator.comparingInt(Path::getNameCount))
                .filter(c -> covers.stream().noneMatch(o -> !o.equals(c) && c.startsWith(o))).toList();
        for (Path c : outermost) cmd.addAll(List.of("--perms", "0755", "--tmpfs", c.toString()));
        Set<Path> made = new LinkedHashSet<>();
        for (Path p : visible) {
            // Under /tmp the private /tmp is the cover: bwrap makes missing parents 0700 (root's), which
            // the workload's own uid could not pass through (a clone of Lattice under /tmp, as in CI).
            Path cover = outermost.stream().filter(p::startsWith).findFirst().orElse(p.startsWith(TMP) ? TMP : null);
            if (cover != null) {
                List<Path> way = new ArrayList<>();
                for (Path a = p.getParent(); a != null && !a.equals(cover) && a.startsWith(cover); a = a.getParent()) way.addFirst(a);
                for (Path a : way) if (made.add(a)) cmd.addAll(List.of("--perms", "0755", "--dir", a.toString()));
            }
            boolean writable = p.equals(own);
            // Anything else is seen through the read-only root, but not what lies under /tmp (a
            // Lattice installation unpacked there): the private /tmp replaced it.
            if (writable) cmd.addAll(List.of("--bind", p.toString(), p.toString()));
            else if (cover != null) cmd.addAll(List.of("--ro-bind", p.toString(), p.toString()));
        }
        cmd.addAll(List.of("--chdir", real(workDir).toString(), "--",
                SETPRIV.toString(), "--reuid", Integer.toString(sandbox.uid()), "--regid", Integer.toString(sandbox.gid()),
                "--clear-groups", "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs", "--"));
        cmd.addAll(command);
        return cmd;
    }

    /** Whether a user other than the owner may pass through {@code dir}. */
    private static boolean enterable(Path dir) {
        try {
            return Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS).contains(PosixFilePermission.OTHERS_EXECUTE);
        } catch (IOException | UnsupportedOperationException e) {
            return true;
        }
    }

    private static Path real(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return p.toAbsolutePath().normalize();
        }
    }
}
