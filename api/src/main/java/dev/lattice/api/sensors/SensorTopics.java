package dev.lattice.api.sensors;

import dev.lattice.bus.feed.StreamTopic;
import java.time.Duration;
import java.util.Map;

/** The sensors data plane's topic: readings, partitioned and ordered per sensor, kept for a while. */
public final class SensorTopics {
    public static final int READING_PARTITIONS = 4;

    private SensorTopics() {}

    /** Retention from {@code LATTICE_READINGS_RETENTION} (ISO-8601, default 7 days). */
    public static StreamTopic readings(Map<String, String> env) {
        String configured = env.get("LATTICE_READINGS_RETENTION");
        Duration retention = configured == null || configured.isBlank() ? Duration.ofDays(7) : Duration.parse(configured);
        return new StreamTopic(Reading.TOPIC, READING_PARTITIONS, retention);
    }
}
