package dev.lattice.agent;

import dev.lattice.agent.runtime.RunningWorkload;
import dev.lattice.workloads.NodeReport;
import dev.lattice.workloads.WorkloadStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Makes the node's {@link NodeReport}: its capacity, the measured load of its own workloads and
 * each workload's state (with the address it is reached at while ready). The agent reports on
 * every pass of its loop — once a second, and at once after a state change — but measures the
 * load anew only once {@link #MEASURE_EVERY} has gone by: with a hundred workloads starting, a
 * measurement for each state change would cost more than the starts. Thread-safe.
 */
final class NodeReporter {
    static final Duration MEASURE_EVERY = Duration.ofSeconds(1);

    /** Where reports go (in the agent: the node-report state on Kafka). */
    interface Publisher {
        void put(String node, NodeReport report);

        void remove(String node);
    }

    /**
     * One workload as a report sees it: its state, its current run (null between runs or while
     * stopping), whether the deployer placed it (a platform service is not placed) and its port (0: none).
     */
    record Entry(NodeReport.Running state, RunningWorkload run, boolean placed, int port) {}

    private final AgentConfig config;
    private final String runtime;
    private final String sandbox;
    private final long agentPid;
    private final Instant startedAt;
    private final Clock clock;
    private final LoadMeter meter;
    private final Supplier<List<Entry>> workloads;
    private final Publisher publisher;
    /** The remote Docker engine this node is, or null. */
    private final dev.lattice.workloads.DockerEngine docker;
    private LoadMeter.Load lastLoad; // guarded by this
    private Instant measuredAt; // guarded by this

    /** {@code sandbox}: how the node confines user workloads, as reported; {@code workloads}: what runs now. */
    NodeReporter(AgentConfig config, String runtime, String sandbox, long agentPid, Clock clock, LoadMeter meter,
                 Supplier<List<Entry>> workloads, Publisher publisher) {
        this(config, runtime, sandbox, agentPid, clock, meter, workloads, publisher, null);
    }

    /** {@code docker}: the engine, when the node is a remote Docker server. */
    NodeReporter(AgentConfig config, String runtime, String sandbox, long agentPid, Clock clock, LoadMeter meter,
                 Supplier<List<Entry>> workloads, Publisher publisher, dev.lattice.workloads.DockerEngine docker) {
        this.docker = docker;
        this.config = config;
        this.runtime = runtime;
        this.sandbox = sandbox;
        this.agentPid = agentPid;
        this.clock = clock;
        this.startedAt = clock.instant();
        this.meter = meter;
        this.workloads = workloads;
        this.publisher = publisher;
    }

    /** Reports the node now; the load is measured anew if the last measurement is {@link #MEASURE_EVERY} old. */
    synchronized NodeReport report() {
        Map<String, RunningWorkload> runs = new HashMap<>();
        Set<String> placed = new HashSet<>();
        List<NodeReport.Running> states = new ArrayList<>();
        for (Entry e : workloads.get()) {
            if (e.run() != null) {
                runs.put(e.run().handle(), e.run());
                if (e.placed()) placed.add(e.run().handle());
            }
            states.add(withAddress(e));
        }
        Instant now = clock.instant();
        if (lastLoad == null || !now.isBefore(measuredAt.plus(MEASURE_EVERY))) {
            lastLoad = meter.sample(runs, placed);
            measuredAt = now;
        }
        NodeReport report = new NodeReport(config.node(), runtime, config.labels(), config.cpus(), config.memoryMb(),
                lastLoad.cpu(), lastLoad.placedCpu(), lastLoad.memoryMb(), states, agentPid, startedAt, now, sandbox, docker);
        publisher.put(config.node(), report);
        return report;
    }

    /** Withdraws the node's report (the node is shutting down). */
    void withdraw() {
        publisher.remove(config.node());
    }

    /** The workload's state, with the address others reach it at while it is ready (if it serves HTTP). */
    private NodeReport.Running withAddress(Entry e) {
        NodeReport.Running r = e.state();
        if (e.port() == 0 || r.status() != WorkloadStatus.RUNNING) return r;
        return r.withAddress("http://" + config.advertiseHost() + ":" + e.port());
    }
}
