package dev.lattice.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lattice.agent.runtime.RunningWorkload;
import dev.lattice.workloads.NodeReport;
import dev.lattice.workloads.WorkloadStatus;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class NodeReporterTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private final AgentConfig config = new AgentConfig("n1", "process", List.of("gpu"), 2, 4096, Path.of("/data/n1"),
            List.of(), Duration.ofSeconds(10), "10.0.0.7");
    private final List<NodeReport> published = new ArrayList<>();
    private final List<String> removed = new ArrayList<>();
    private final NodeReporter.Publisher publisher = new NodeReporter.Publisher() {
        @Override
        public void put(String node, NodeReport report) {
            published.add(report);
        }

        @Override
        public void remove(String node) {
            removed.add(node);
        }
    };
    private Instant now = T0;
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };
    private final List<NodeReporter.Entry> workloads = new ArrayList<>();

    /** A run whose usage the test sets; each {@code usage()} call is counted (one per measurement). */
    private static final class FakeRun implements RunningWorkload {
        final String handle;
        long rssBytes;
        int measured;

        FakeRun(String handle, long rssBytes) {
            this.handle = handle;
            this.rssBytes = rssBytes;
        }

        @Override
        public String handle() {
            return handle;
        }

        @Override
        public long pid() {
            return 1;
        }

        @Override
        public CompletableFuture<Integer> exit() {
            return new CompletableFuture<>();
        }

        @Override
        public void stop(Duration grace) {}

        @Override
        public Usage usage() {
            measured++;
            return new Usage(0, rssBytes);
        }
    }

    private NodeReporter reporter() {
        return new NodeReporter(config, "process", "bwrap+cgroup-v2", 4242, clock, new LoadMeter(config.cpus()),
                () -> List.copyOf(workloads), publisher);
    }

    private static NodeReport.Running state(String id, WorkloadStatus status) {
        return new NodeReport.Running(id, "d-" + id, "model", status, 0, "h-" + id, "", T0);
    }

    @Test
    void reportsTheNodesCapacityIdentityAndEachWorkloadsState() {
        workloads.add(new NodeReporter.Entry(state("a", WorkloadStatus.RUNNING), new FakeRun("h-a", 0), true, 0));
        workloads.add(new NodeReporter.Entry(state("b", WorkloadStatus.STOPPED), null, false, 0));
        now = T0.plusSeconds(5);

        NodeReport r = reporter().report();

        assertThat(published).containsExactly(r);
        assertThat(r.node()).isEqualTo("n1");
        assertThat(r.runtime()).isEqualTo("process");
        assertThat(r.labels()).containsExactly("gpu");
        assertThat(r.cpus()).isEqualTo(2);
        assertThat(r.memoryTotalMb()).isEqualTo(4096);
        assertThat(r.agentPid()).isEqualTo(4242);
        assertThat(r.sandbox()).isEqualTo("bwrap+cgroup-v2");
        assertThat(r.ts()).isEqualTo(T0.plusSeconds(5));
        assertThat(r.workloads()).extracting(NodeReport.Running::id).containsExactly("a", "b");
    }

    @Test
    void aReadyWorkloadThatServesHttpCarriesItsAddressAndOnlyWhileRunning() {
        workloads.add(new NodeReporter.Entry(state("m", WorkloadStatus.RUNNING), new FakeRun("h-m", 0), true, 41000));
        workloads.add(new NodeReporter.Entry(state("s", WorkloadStatus.STARTING), new FakeRun("h-s", 0), true, 41001));
        workloads.add(new NodeReporter.Entry(state("w", WorkloadStatus.RUNNING), new FakeRun("h-w", 0), true, 0));

        NodeReport r = reporter().report();

        assertThat(r.workloads()).extracting(NodeReport.Running::address).containsExactly("http://10.0.0.7:41000", null, null);
    }

    @Test
    void measuresMemoryOfTheRunsAndMeasuresAnewAtMostOnceASecond() {
        FakeRun run = new FakeRun("h-a", 300L * 1024 * 1024);
        workloads.add(new NodeReporter.Entry(state("a", WorkloadStatus.RUNNING), run, true, 0));
        workloads.add(new NodeReporter.Entry(state("b", WorkloadStatus.STOPPED), null, false, 0));
        NodeReporter reporter = reporter();

        assertThat(reporter.report().memoryUsedMb()).isEqualTo(300);
        assertThat(run.measured).isEqualTo(1);

        // A report for a state change soon after repeats the last measurement.
        run.rssBytes = 500L * 1024 * 1024;
        now = now.plusMillis(300);
        assertThat(reporter.report().memoryUsedMb()).isEqualTo(300);
        assertThat(run.measured).isEqualTo(1);

        now = now.plusMillis(700);
        assertThat(reporter.report().memoryUsedMb()).isEqualTo(500);
        assertThat(run.measured).isEqualTo(2);
        assertThat(published).hasSize(3);
    }

    @Test
    void withdrawRemovesTheNodesReport() {
        reporter().withdraw();
        assertThat(removed).containsExactly("n1");
    }
}
