package dev.lattice.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs {@link MqttMeasure} and prints its figures; asserts only that every message arrived. */
class MqttLatencyIT {
    @TempDir
    Path dir;

    @Test
    void printsStartTimeAndPublishToListenerLatency() throws Exception {
        MqttMeasure.Result result = MqttMeasure.run(dir);
        System.out.println(result.summary() + " (start is warm when another broker ran first in this JVM)");
        assertThat(result.sortedLatencyNanos()).hasSize(MqttMeasure.MESSAGES);
        assertThat(result.sortedLatencyNanos()[0]).isPositive();
    }
}
