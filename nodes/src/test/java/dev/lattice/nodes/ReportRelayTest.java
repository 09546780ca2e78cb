package dev.lattice.nodes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lattice.bus.feed.BusRecord;
import dev.lattice.core.Json;
import dev.lattice.workloads.NodeReport;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportRelayTest {
    private final List<String> relayed = new ArrayList<>();
    private final ReportRelay relay = new ReportRelay(new ReportRelay.Sink() {
        @Override
        public void put(String node, NodeReport report) {
            relayed.add("put " + node + " " + report.node());
        }

        @Override
        public void remove(String node) {
            relayed.add("remove " + node);
        }
    });

    private static NodeReport report(String node) {
        Instant now = Instant.parse("2026-12-07T05:00:00Z");
        return new NodeReport(node, "process", List.of(), 2, 4096, 0.1, 0.1, 100, List.of(), 42, now, now);
    }

    /** A record as a node's agent's reporter writes it to the node's own topic. */
    private static BusRecord written(String topicNode, String key, String name, NodeReport value) {
        byte[] body = value == null ? null : Json.bytes(Map.of("kind", NodeReport.KIND, "name", name, "version", 1,
                "updatedAt", "2026-12-07T05:00:00Z", "updatedBy", "agent." + name, "value", Json.tree(value)));
        return new BusRecord(NodeReport.topic(topicNode).name(), 0, 0, 0, key, body);
    }

    @Test
    void aNodesOwnReportIsRelayedAndItsWithdrawalToo() {
        relay.relay(written("w1", "node-report/w1", "w1", report("w1")));
        relay.relay(written("w1", "node-report/w1", "w1", null));
        assertThat(relayed).containsExactly("put w1 w1", "remove w1");
    }

    @Test
    void aReportForAnotherNodeOnAnotherNodesTopicIsDropped() {
        relay.relay(written("w1", "node-report/n1", "n1", report("n1"))); // w1 reporting for n1 under n1's key
        relay.relay(written("w1", "node-report/w1", "w1", report("n1"))); // under its own key, a body that says n1
        relay.relay(written("w1", "node-report/n1", "n1", null)); // withdrawing n1's report
        relay.relay(written("w1", "node/w1", "w1", report("w1"))); // another kind
        relay.relay(new BusRecord(NodeReport.topic("w1").name(), 0, 0, 0, "node-report/w1", "not json".getBytes(StandardCharsets.UTF_8)));
        assertThat(relayed).isEmpty();
    }
}
