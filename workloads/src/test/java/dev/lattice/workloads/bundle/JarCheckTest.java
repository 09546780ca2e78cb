package dev.lattice.workloads.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lattice.core.LatticeException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JarCheckTest {
    @TempDir
    Path dir;

    @Test
    void takesTheManifestMainClass() throws IOException {
        assertThat(JarCheck.mainClass(jar("com.example.App", "com/example/App.class"), null)).isEqualTo("com.example.App");
    }

    @Test
    void prefersTheConfigMain() throws IOException {
        Path jar = jar(null, "com/example/Other.class");

        assertThat(JarCheck.mainClass(jar, "com.example.Other")).isEqualTo("com.example.Other");
    }

    @Test
    void refusesJarWithoutMainClass() throws IOException {
        assertRefused(jar(null, "com/example/App.class"), null, "apps:jar.main", "app: the jar's manifest names no Main-Class; give 'main' in the config");
    }

    @Test
    void refusesMainClassMissingFromTheJar() throws IOException {
        assertRefused(jar("com.example.App", "com/example/Other.class"), null, "apps:jar.main", "app: the manifest's Main-Class 'com.example.App' is not in the jar");
        assertRefused(jar(null, "com/example/Other.class"), "com.example.Gone", "apps:config.main", "config.main: class 'com.example.Gone' is not in the jar");
    }

    @Test
    void refusesWhatIsNotAJar() throws IOException {
        Path jar = dir.resolve("app.jar");
        Files.writeString(jar, "not a zip at all");

        assertRefused(jar, "a.Main", "apps:jar.invalid", "app: not a readable jar");
    }

    private static void assertRefused(Path jar, String main, String code, String message) {
        assertThatThrownBy(() -> JarCheck.mainClass(jar, main)).isInstanceOfSatisfying(LatticeException.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.getMessage()).startsWith(message);
        });
    }

    private Path jar(String mainClass, String classEntry) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (mainClass != null) manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, mainClass);
        Path jar = Files.createTempFile(dir, "app", ".jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, manifest)) {
            j.putNextEntry(new JarEntry(classEntry));
            j.write(new byte[] {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE});
            j.closeEntry();
        }
        return jar;
    }
}
