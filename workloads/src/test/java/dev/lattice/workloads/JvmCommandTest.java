package dev.lattice.workloads;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class JvmCommandTest {
    @Test
    void everyJvmGetsTheSmallDefaultsThenItsOwnOptionsThenItsMain() {
        List<String> cmd = JvmCommand.of("/jdk/bin/java").heapMb(128).initialHeapMb(16).codeCacheMb(48).quickStart()
                .property("lattice.service", "auth").options(List.of("-XX:SharedArchiveFile=a.jsa"))
                .main("lib/*", "dev.lattice.cli.Lattice", List.of("service", "auth"));
        assertThat(cmd).containsExactly("/jdk/bin/java", "-Xss512k", "-XX:+UseSerialGC",
                "-XX:+UnlockDiagnosticVMOptions", "-XX:AsyncDeflationInterval=5000", "-XX:-UsePerfData", "-Xmx128m", "-Xms16m",
                "-XX:ReservedCodeCacheSize=48m", "-XX:TieredStopAtLevel=1", "-Dlattice.service=auth", "-XX:SharedArchiveFile=a.jsa",
                "-cp", "lib/*", "dev.lattice.cli.Lattice", "service", "auth");
    }

    @Test
    void newerJdkFlagsOnlyWhereThisJdkKnowsThem() {
        List<String> cmd = JvmCommand.of("java").nativeAccess().unsafeMemoryAccess().trimNativeHeap().main("x.jar", "Main", List.of());
        int jdk = Runtime.version().feature();
        assertThat(cmd.contains("-XX:TrimNativeHeapInterval=5000")).isEqualTo(jdk >= 22);
        assertThat(cmd.contains("--enable-native-access=ALL-UNNAMED")).isEqualTo(jdk >= 22);
        assertThat(cmd.contains("--sun-misc-unsafe-memory-access=allow")).isEqualTo(jdk >= 23);
        assertThat(cmd).endsWith("-cp", "x.jar", "Main");
    }

    @Test
    void thisJvmIsAJavaExecutable() {
        assertThat(JvmCommand.thisJava()).endsWith("java");
        assertThat(JvmCommand.thisClassPath()).isNotBlank();
    }
}
