package dev.lattice.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.platform.suite.api.AfterSuite;
import org.junit.platform.suite.api.BeforeSuite;
import org.junit.platform.suite.api.ConfigurationParameter;
import org.junit.platform.suite.api.SelectClasses;
import org.junit.platform.suite.api.Suite;

/**
 * The web console's browser tests on one {@code lattice up --nodes 2}: a platform start is 20-30 s
 * of two busy cores, and the three classes do not get in each other's way (each adds its own users,
 * names its own objects and deletes them when it ends). Nodes runs first because it reads the event
 * list and drains a node. A class still runs alone, on a platform of its own, when named:
 * {@code -Dit.test=ModelsConsole}. The three run one after the other, in the order named, whatever
 * the module's parallel setting (cli/pom.xml) says for other classes.
 */
@Suite
@ConfigurationParameter(key = "junit.jupiter.execution.parallel.enabled", value = "false")
@SelectClasses({NodesConsole.class, ModelsConsole.class, AppsConsole.class})
class ConsoleIT {
    private static Path dir;

    @BeforeSuite
    static void startPlatform() throws Exception {
        dir = Files.createTempDirectory("lattice-console-");
        PlatformConsole.startShared(dir.resolve("data"));
    }

    @AfterSuite
    static void stopPlatform() throws Exception {
        try {
            PlatformConsole.stopShared();
        } finally {
            deleteQuietly(dir);
        }
    }

    private static void deleteQuietly(Path root) throws IOException {
        if (root == null || !Files.exists(root)) return;
        try (Stream<Path> all = Files.walk(root)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
