package dev.lattice.bus;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

/** How many copies of a topic the platform asks a cluster for. */
class TopicsTest {
    @Test
    void threeBrokersOrMoreGetThreeReplicasTwoOfThemInSync() {
        for (int brokers : new int[] {3, 5}) {
            NewTopic t = Topics.forCluster(Topics.compacted("lattice.state.x"), brokers);
            assertThat(t.replicationFactor()).isEqualTo((short) 3);
            assertThat(t.numPartitions()).isEqualTo(1);
            assertThat(t.configs()).containsEntry("min.insync.replicas", "2").containsEntry("cleanup.policy", "compact");
        }
        NewTopic readings = Topics.forCluster(Topics.shortLived("lattice.readings", 60_000, 6), 3);
        assertThat(readings.numPartitions()).isEqualTo(6);
        assertThat(readings.replicationFactor()).isEqualTo((short) 3);
    }

    @Test
    void fewerBrokersKeepTheClustersDefault() {
        for (int brokers : new int[] {1, 2}) {
            NewTopic t = Topics.forCluster(Topics.compacted("lattice.state.x"), brokers);
            assertThat(t.replicationFactor()).isEqualTo((short) -1);
            assertThat(t.configs()).doesNotContainKey("min.insync.replicas");
        }
    }
}
