package dev.lattice.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DeviceTopicsTest {
    @Test
    void namesTheTopicsOfApiMd() {
        assertThat(DeviceTopics.readings("t1")).isEqualTo("sensors/t1");
        assertThat(DeviceTopics.commands("v1")).isEqualTo("controllers/v1/commands");
        assertThat(DeviceTopics.acks("v1")).isEqualTo("controllers/v1/acks");
    }

    @Test
    void rejectsIdsThatWouldWidenAPermission() {
        assertThat(DeviceTopics.isValidId("greenhouse-3_temp.1")).isTrue();
        for (String bad : new String[] {null, "", "#", "+", "a/b", "a+", "a#", "a\u0000", "x".repeat(201)}) {
            assertThat(DeviceTopics.isValidId(bad)).as(String.valueOf(bad)).isFalse();
        }
    }

    @Test
    void aDeviceMayPublishOnlyItsReadingsAndAcks() {
        assertThat(DeviceTopics.mayPublish("s1", "sensors/s1")).isTrue();
        assertThat(DeviceTopics.mayPublish("s1", "controllers/s1/acks")).isTrue();
        assertThat(DeviceTopics.mayPublish("s1", "sensors/s2")).isFalse();
        assertThat(DeviceTopics.mayPublish("s1", "sensors/s1/x")).isFalse();
        assertThat(DeviceTopics.mayPublish("s1", "controllers/s1/commands")).isFalse();
        assertThat(DeviceTopics.mayPublish("+", "sensors/+")).isFalse();
    }
}
