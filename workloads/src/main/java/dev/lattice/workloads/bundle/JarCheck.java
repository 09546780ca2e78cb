package dev.lattice.workloads.bundle;

import dev.lattice.core.LatticeException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Pattern;
import java.util.zip.ZipFile;

/**
 * Checks a {@code java} app's jar at upload, so that a jar the JVM could not start is refused
 * then rather than failing on every node later: it must be a readable jar, and the class to run
 * — the config's {@code main}, else the manifest's {@code Main-Class} — must be in it. The jar is
 * run as it is, never unpacked. Stateless and thread-safe.
 */
public final class JarCheck {
    private static final Pattern CLASS_NAME = Pattern.compile("[\\p{L}_$][\\p{L}\\p{N}_$]*(\\.[\\p{L}_$][\\p{L}\\p{N}_$]*)*");

    private JarCheck() {}

    /**
     * @param main the config's {@code main}, or null to use the manifest's {@code Main-Class}
     * @return the class to run
     * @throws LatticeException 400 naming what is wrong with the jar
     */
    public static String mainClass(Path jar, String main) {
        // Opened at the running JVM's version so a multi-release jar's main class is found where the JVM would look.
        try (JarFile file = new JarFile(jar.toFile(), false, ZipFile.OPEN_READ, JarFile.runtimeVersion())) {
            String cls = main != null ? main : manifestMain(file);
            if (file.getJarEntry(cls.replace('.', '/') + ".class") == null) {
                String where = main != null ? "config.main: class '" : "app: the manifest's Main-Class '";
                throw LatticeException.badRequest(main != null ? "apps:config.main" : "apps:jar.main", where + cls + "' is not in the jar");
            }
            return cls;
        } catch (IOException | SecurityException e) {
            throw new LatticeException("apps:jar.invalid", 400, "app: not a readable jar (" + e.getMessage() + ")", e);
        }
    }

    private static String manifestMain(JarFile file) throws IOException {
        Manifest manifest = file.getManifest();
        String cls = manifest == null ? null : manifest.getMainAttributes().getValue(Attributes.Name.MAIN_CLASS);
        if (cls == null || cls.isBlank())
            throw LatticeException.badRequest("apps:jar.main", "app: the jar's manifest names no Main-Class; give 'main' in the config");
        cls = cls.trim();
        if (!CLASS_NAME.matcher(cls).matches())
            throw LatticeException.badRequest("apps:jar.main", "app: the manifest's Main-Class '" + cls + "' is not a class name");
        return cls;
    }
}
