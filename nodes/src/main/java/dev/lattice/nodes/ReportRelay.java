package dev.lattice.nodes;

import dev.lattice.bus.Bus;
import dev.lattice.bus.feed.BusRecord;
import dev.lattice.bus.state.StateReporter;
import dev.lattice.workloads.NodeReport;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries each node's reports from the node's own topic ({@link NodeReport#topic}) to
 * {@code lattice.state.node-report}, the one every reader follows, and only those that name the
 * topic's own node: Kafka's ACLs are per topic, so a node's Kafka user may write its own report
 * topic and no other, and this relay is the one writer of the shared one. A joined host can thus
 * neither report for another node (making it look alive, or gone) nor report a node into being.
 */
final class ReportRelay {
    private static final Logger log = LoggerFactory.getLogger(ReportRelay.class);
    /**
     * How often topics of nodes that appeared since are looked for: a new node's first report
     * waits up to this long (and, at idle, one metadata request to the broker each time).
     */
    static final Duration DISCOVERY = Duration.ofSeconds(2);
    /** A restarted relay passes on reports of the last seconds only: older ones describe nodes that may be gone. */
    static final Duration LOOK_BACK = Duration.ofSeconds(3);

    /** Where relayed reports go (the shared topic; a list in tests). */
    interface Sink {
        void put(String node, NodeReport report);

        void remove(String node);
    }

    private final Sink out;

    ReportRelay(Sink out) {
        this.out = out;
    }

    static void start(Bus bus) {
        StateReporter<NodeReport> shared = bus.reporter(NodeReport.KIND);
        ReportRelay relay = new ReportRelay(new Sink() {
            @Override
            public void put(String node, NodeReport report) {
                shared.put(node, report);
            }

            @Override
            public void remove(String node) {
                shared.remove(node);
            }
        });
        bus.followPrefix(NodeReport.TOPIC_PREFIX, DISCOVERY, LOOK_BACK, relay::relay);
    }

    void relay(BusRecord record) {
        String node = record.topic().substring(NodeReport.TOPIC_PREFIX.length());
        var reported = StateReporter.read(record, NodeReport.KIND, NodeReport.class);
        if (reported.isEmpty() || !reported.get().name().equals(node)
                || (reported.get().value() != null && !node.equals(reported.get().value().node()))) {
            log.warn("a report on {} that is not node {}'s own was dropped", record.topic(), node);
            return;
        }
        if (reported.get().value() == null) out.remove(node);
        else out.put(node, reported.get().value());
    }
}
