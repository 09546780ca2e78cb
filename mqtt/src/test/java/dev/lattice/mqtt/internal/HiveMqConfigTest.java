package dev.lattice.mqtt.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HiveMqConfigTest {
    @Test
    void turnsUsageStatisticsOffAndKeepsSessionsInMemory() {
        String xml = HiveMqConfig.xml("0.0.0.0", 1883);
        assertThat(xml).contains("<anonymous-usage-statistics><enabled>false</enabled></anonymous-usage-statistics>")
                .contains("<persistence><mode>in-memory</mode></persistence>")
                .contains("<port>1883</port>")
                .contains("<bind-address>0.0.0.0</bind-address>");
    }
}
