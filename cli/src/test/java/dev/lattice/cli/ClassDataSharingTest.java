package dev.lattice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassDataSharingTest {
    @TempDir
    Path dir;

    @Test
    void aNewArchiveRemovesOnlyItsOwnKindsOlderOnes() throws IOException {
        for (String f : new String[] {"gateway-38a165a40353.jsa", "gateway-b280b21aa726.jsa.24996.tmp.temp", "gateway-780725cd7d12.jsa",
                "gateway-780725cd7d12.jsa.4242.tmp", "agent-38a165a40353.jsa", "up.jsa", "models-38a165a40353.jsa"}) {
            Files.writeString(dir.resolve(f), "x");
        }
        ClassDataSharing.removeOthers(dir.resolve("gateway-780725cd7d12.jsa"));
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("gateway-780725cd7d12.jsa",
                    "gateway-780725cd7d12.jsa.4242.tmp", "agent-38a165a40353.jsa", "up.jsa", "models-38a165a40353.jsa");
        }
    }
}
