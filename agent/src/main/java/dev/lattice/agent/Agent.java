package dev.lattice.agent;

import dev.lattice.agent.runtime.RunningWorkload;
import dev.lattice.agent.runtime.Sandbox;
import dev.lattice.agent.runtime.WorkloadRuntime;
import dev.lattice.agent.supervision.Backoff;
import dev.lattice.bus.Bus;
import dev.lattice.bus.loop.ControlLoop;
import dev.lattice.bus.rpc.Handler;
import dev.lattice.bus.state.StateReporter;
import dev.lattice.bus.state.StateView;
import dev.lattice.bus.state.Versioned;
import dev.lattice.core.LatticeException;
import dev.lattice.workloads.AgentCommands;
import dev.lattice.workloads.Events;
import dev.lattice.workloads.NodeReport;
import dev.lattice.workloads.Workload;
import dev.lattice.api.monitor.HealthReport;
import dev.lattice.api.repository.ArtefactClient;
import dev.lattice.api.repository.Endpoints;
import dev.lattice.workloads.WorkloadSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node agent. Level-triggered: its one {@link ControlLoop} passes once a second, and at once
 * whenever the deployer's assignments or a workload's state change. A pass compares the
 * workloads assigned to its node (plus its static ones) with what it supervises ({@link Changes},
 * the pure decision), starts what is missing and stops what is no longer assigned — also the
 * stale copies left after it was frozen while the deployer moved them — then reports the node
 * ({@link NodeReporter}). Each workload runs as its {@link LaunchPlan} says, kept running by a
 * {@link SupervisedWorkload}. A pass that keeps failing for 30 s ends the agent (the bus's fatal
 * path), so that {@code lattice up} starts it again and it adopts its workloads. Thread-safe.
 */
public final class Agent implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Agent.class);
    private static final Duration CATCH_UP = Duration.ofSeconds(60);

    private final AgentConfig config;
    private final Bus bus;
    private final WorkloadRuntime runtime;
    private final Backoff backoff;
    private final StateView<Workload> assignments;
    private final NodeReporter reporter;
    private final Events events;
    /**
     * The node as the runtime knows it: the Kafka cluster's id (the platform's identity) and the
     * node's name. Several platforms may share one Docker engine, each with a node {@code n1}; their
     * containers' names and labels must not collide, nor one agent's sweep remove another's.
     */
    private final String runtimeNode;
    private final Endpoints endpoints;
    private final ArtefactClient artefacts = new ArtefactClient();
    private final Confinement confinement;
    private final Map<String, SupervisedWorkload> supervisors = new ConcurrentHashMap<>();
    private final Map<String, SupervisedWorkload> stopping = new ConcurrentHashMap<>();
    private final WorkloadEvents listener;
    private final Set<String> staticIds;
    /** The agents of remote Docker servers this (control-plane) node runs; null on other nodes. */
    private final HostedAgents hosted;
    /** The monitor's health report: who was last heard when ({@link HangWatch}). */
    private final StateView<HealthReport> health;
    /** This node's reports, put every pass: whether they get through tells whether the bus works. */
    private final StateReporter<NodeReport> reports;
    private final HangWatch.BusWatch busWatch = new HangWatch.BusWatch();
    private volatile ControlLoop loop; // set once the agent has adopted what it found
    private volatile boolean closed;
    private volatile boolean runtimeAvailable = true;

    private Agent(AgentConfig config, Bus bus, WorkloadRuntime runtime, Backoff backoff,
                  java.util.function.BiFunction<String, List<String>, List<String>> hostedAgentCommand) {
        this.config = config;
        this.bus = bus;
        this.runtime = runtime;
        this.backoff = backoff;
        this.confinement = Confinement.create(config.insecureWorkloads(), config.hiddenFromWorkloads());
        if (!confinement.enabled()) log.warn("node {} runs user workloads UNCONFINED (--insecure-workloads): any app or model "
                + "can read the platform's secrets and take over this machine", config.node());
        this.runtimeNode = platformId(bus) + "-" + config.node();
        this.events = Events.of(bus);
        this.reports = bus.<NodeReport>reporter(NodeReport.KIND, NodeReport.topic(config.node()));
        WorkloadMetrics metrics = new WorkloadMetrics(bus.metrics().registry());
        this.reporter = new NodeReporter(config, runtime.name(), confinement.enabled() ? runtime.sandbox() : NodeReport.UNCONFINED,
                ProcessHandle.current().pid(), bus.clock(), new LoadMeter(config.cpus()), this::workloads,
                new NodeReporter.Publisher() {
                    @Override
                    public void put(String node, NodeReport report) {
                        reports.put(node, report);
                        metrics.update(report);
                    }

                    @Override
                    public void remove(String node) {
                        reports.remove(node);
                    }
                }, runtime.engine());
        this.listener = new WorkloadEvents(config, bus, events, confinement, this::wake);
        this.staticIds = config.staticWorkloads().stream().map(s -> s.workload().id()).collect(Collectors.toUnmodifiableSet());
        // Its own node's copy of the workloads, not lattice.state.workload: specs hold other apps' secrets.
        this.assignments = bus.view(Workload.KIND, Workload.class, Workload.topic(config.node()));
        this.health = bus.view(HealthReport.KIND, HealthReport.class);
        this.endpoints = Endpoints.follow(bus, CATCH_UP);
        this.hosted = hostedAgentCommand == null ? null : new HostedAgents(config,
                bus.view(dev.lattice.workloads.DockerNode.KIND, dev.lattice.workloads.DockerNode.class), hostedAgentCommand,
                bus.config().bootstrapServers());
    }

    /**
     * Starts the agent: reports the node at once (so it is READY before anything waits on it),
     * catches up with the assignments, adopts what an earlier agent of this node left running,
     * ends the leftovers it cannot adopt, then starts its loop.
     */
    public static Agent start(AgentConfig config, Bus bus, WorkloadRuntime runtime, Backoff backoff) {
        return start(config, bus, runtime, backoff, null);
    }

    /**
     * As {@link #start(AgentConfig, Bus, WorkloadRuntime, Backoff)}, on a control-plane node that
     * runs the agents of remote Docker servers: {@code hostedAgentCommand} makes the command line of
     * {@code lattice agent --node NAME ARGS} ({@link HostedAgents}).
     */
    public static Agent start(AgentConfig config, Bus bus, WorkloadRuntime runtime, Backoff backoff,
                              java.util.function.BiFunction<String, List<String>, List<String>> hostedAgentCommand) {
        Agent agent = new Agent(config, bus, runtime, backoff, hostedAgentCommand);
        agent.reporter.report();
        agent.assignments.awaitCaughtUp(CATCH_UP);
        if (agent.hosted != null) agent.hosted.awaitCaughtUp(CATCH_UP);
        agent.adoptOrEnd();
        // The loop is the bus's: closed with it, and fatal (exit 70) when it keeps failing.
        agent.loop = bus.loop("agent-" + config.node(), Duration.ofSeconds(1), agent::pass);
        agent.assignments.onChange(c -> agent.wake());
        if (agent.hosted != null) agent.hosted.onChange(agent::wake);
        // Acts only for a user whose own credential the request carries (the gateway's access check decided the rest).
        bus.serve(Map.of(AgentCommands.LOGS, (Handler) agent::logs), dev.lattice.api.auth.VerifiedCaller.follow(bus));
        log.info("agent of node {} ready: runtime {}, {} cpus, {} MiB, labels {}", config.node(), runtime.name(),
                config.cpus(), config.memoryMb(), config.labels());
        return agent;
    }

    public String node() {
        return config.node();
    }

    /** What should run here now: the static workloads and those the deployer assigned to this node. */
    private Map<String, Workload> desired() {
        Map<String, Workload> want = new HashMap<>();
        for (var s : config.staticWorkloads()) want.put(s.workload().id(), s.workload());
        if (hosted != null) want.putAll(hosted.desired());
        for (Versioned<Workload> v : assignments.list()) {
            if (config.node().equals(v.value().node())) want.put(v.value().id(), v.value());
        }
        return want;
    }

    private void adoptOrEnd() {
        Map<String, Workload> want = desired();
        Set<String> kept = new HashSet<>();
        for (LocalRecord r : LocalRecord.all(config.dataDir())) {
            Workload w = want.get(r.id());
            if (w != null && w.spec().equals(r.spec())) {
                kept.add(r.handle());
                supervise(w, r.restarts(), Optional.ofNullable(r.handle()), r.port(), r.uid());
                continue;
            }
            // Not ours any more (moved, deleted or changed while no agent watched): end it.
            runtime.adopt(plan(r.id(), r.spec(), r.port(), Confinement.toEnd(r.uid())).launch(), r.handle()).ifPresent(run -> {
                log.info("ending {} ({}): no longer assigned to {}", r.id(), r.handle(), config.node());
                run.stop(config.stopGrace());
            });
            LocalRecord.forget(config.dataDir(), r.id());
        }
        runtime.sweep(runtimeNode, kept);
    }

    private static String platformId(Bus bus) {
        String id = bus.clusterId(Duration.ofSeconds(30));
        return id.replaceAll("[^A-Za-z0-9]", "").toLowerCase(java.util.Locale.ROOT).substring(0, 8);
    }

    /**
     * One pass of the agent's loop: do what the assignments ask, then say what runs. While the
     * runtime does not answer (a remote engine stopped or cut off), nothing: the node's silence is
     * what tells the platform to move its workloads.
     */
    private void pass() {
        boolean available = runtime.available();
        if (available != runtimeAvailable) {
            runtimeAvailable = available;
            if (available) log.info("the {} runtime of node {} answers again", runtime.name(), config.node());
            else log.warn("the {} runtime of node {} does not answer: the node stops reporting until it does", runtime.name(), config.node());
        }
        if (!available) return;
        reconcile();
        killHung();
        if (!closed) reporter.report();
    }

    /**
     * Kills (SIGKILL) this node's platform services that are alive but silent ({@link HangWatch}):
     * their supervisors see them exit and restart them as after a crash.
     */
    private void killHung() {
        List<HangWatch.Local> local = new ArrayList<>();
        for (var s : config.staticWorkloads()) {
            SupervisedWorkload sup = supervisors.get(s.workload().id());
            RunningWorkload run = sup == null ? null : sup.current();
            if (s.heartbeatInstance() == null || run == null || run.exit().isDone() || run.pid() <= 0) continue;
            local.add(new HangWatch.Local(s.workload().id(), s.workload().deployment(), s.heartbeatInstance(), run.pid(), sup.since()));
        }
        if (local.isEmpty()) return;
        var report = health.get(HealthReport.NAME).map(Versioned::value);
        Instant now = bus.clock().instant();
        Instant busWorksSince = busWatch.observe(reports.lastStored(), now);
        for (HangWatch.Hung h : HangWatch.hung(report, local, now, config.hungAfter(), busWorksSince)) {
            String id = h.run().workloadId();
            log.warn("{} (pid {}) is alive but silent for {} s: killing it, to be restarted", id, h.run().pid(), h.silent().toSeconds());
            events.publish("hung", "workload/" + id, "alive but silent for " + h.silent().toSeconds() + " s on " + config.node()
                    + " (limit " + config.hungAfter().toSeconds() + " s): killed, restarting");
            ProcessHandle.of(h.run().pid()).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    /** A pass now (or right after the one under way): a change the node must act on, or report, at once. */
    private void wake() {
        ControlLoop l = loop;
        if (l != null && !closed) l.wake();
    }

    private synchronized void reconcile() {
        if (closed) return;
        Map<String, Workload> running = new HashMap<>();
        supervisors.forEach((id, s) -> running.put(id, s.workload()));
        Changes changes = Changes.between(desired(), running, stopping.keySet(), config.node());
        changes.stop().forEach((id, why) -> {
            SupervisedWorkload s = supervisors.get(id);
            if (s != null) stopAsync(s, why);
        });
        for (Workload w : changes.start()) supervise(w, 0, Optional.empty(), 0, 0);
    }

    /**
     * {@code port}: the one an adopted run was given (0: choose one, if the workload serves HTTP);
     * {@code uid}: the one it ran as (0: none or a new one). The platform's services are not confined.
     */
    private void supervise(Workload w, int restarts, Optional<String> adopt, int port, int uid) {
        boolean service = isService(w.id());
        var sandbox = service ? null : confinement.sandboxFor(w, config.workloadDir(w.id()), uid);
        var sup = new SupervisedWorkload(w, plan(w.id(), w.spec(), port, sandbox), runtime,
                service ? backoff.forPlatformService() : backoff, bus.clock(), listener,
                this::prepare, restarts, adopt);
        supervisors.put(w.id(), sup);
    }

    /** {@code port}: the one the workload was given before (0: a new one, if it serves HTTP). */
    private LaunchPlan plan(String id, WorkloadSpec spec, int port, Sandbox sandbox) {
        int kept = spec.http() != null && port == 0 ? Ports.free() : port;
        return LaunchPlan.of(config, runtimeNode, runtime.name(), id, spec, isService(id), kept, sandbox);
    }

    /** The platform's own: a static service, or a remote Docker server's agent run here. Never confined. */
    private boolean isService(String id) {
        return staticIds.contains(id) || (hosted != null && hosted.owns(id));
    }

    /**
     * Readies a start: the workload's artefact downloaded from the repository into its folder
     * (verified against its SHA-256; kept, so a restart does not download again; a bundle unpacked
     * once, so a restart finds its folder as the app left it), then the folder handed to its uid.
     */
    private LaunchPlan prepare(LaunchPlan plan) throws IOException {
        Path dir = config.workloadDir(plan.id());
        Files.createDirectories(dir);
        if (hosted != null && hosted.owns(plan.id())) hosted.prepare(plan.id(), dir);
        LaunchPlan ready = plan;
        var artefact = plan.spec().artefact();
        if (artefact != null) {
            Path target = plan.workDir().resolve(artefact.fileName());
            artefacts.fetch(endpoints.repository(), artefact.sha256(), target);
            if (!artefact.unpack()) ready = plan.withArtefact(target);
            else {
                Path folder = plan.workDir().resolve(LaunchPlan.BUNDLE_FOLDER);
                if (!Files.isDirectory(folder))
                    dev.lattice.workloads.bundle.Bundle.unpack(target, folder, dev.lattice.workloads.bundle.Limits.DEFAULT);
                ready = plan.withBundle(folder);
            }
        }
        confinement.handOver(plan.sandbox(), dir);
        return ready;
    }

    private void stopAsync(SupervisedWorkload s, String why) {
        String id = s.workload().id();
        supervisors.remove(id, s);
        stopping.put(id, s);
        log.info("stopping {}: {}", id, why);
        Thread.ofVirtual().start(() -> {
            try {
                s.stop(config.stopGrace());
                LocalRecord.forget(config.dataDir(), id);
                confinement.release(id);
                events.publish("stopped", "workload/" + id, "stopped on " + config.node() + ": " + why);
            } finally {
                stopping.remove(id, s);
            }
        });
    }

    /** What the node report shows: the supervised workloads, then those still stopping (no run, no address). */
    private List<NodeReporter.Entry> workloads() {
        List<NodeReporter.Entry> all = new ArrayList<>();
        for (SupervisedWorkload s : supervisors.values())
            all.add(new NodeReporter.Entry(s.report(), s.current(), !isService(s.workload().id()), s.port()));
        for (SupervisedWorkload s : stopping.values()) all.add(new NodeReporter.Entry(s.report(), null, false, 0));
        return all;
    }

    private Object logs(dev.lattice.bus.rpc.Request request) throws IOException {
        // Any user the caller check proved: which user may read which workload's log is the gateway's
        // route check (admins and configurers any workload, an app instance's owner its own).
        if (request.principal().kind() != dev.lattice.core.Principal.Kind.USER) {
            throw LatticeException.forbidden("only a user reads a workload's log");
        }
        AgentCommands.Logs ask = request.payload(AgentCommands.Logs.class);
        boolean known = supervisors.containsKey(ask.id()) || stopping.containsKey(ask.id())
                || Files.exists(config.logFile(ask.id()));
        if (!known) throw LatticeException.notFound("agent:no-workload", "workload '" + ask.id() + "' has never run on " + config.node());
        return new AgentCommands.LogText(LogTail.read(config.logFile(ask.id()), ask.tail(), AgentCommands.MAX_LOG_BYTES));
    }

    /**
     * Stops the agent. With {@code stopWorkloads} (the node is shutting down) its workloads stop
     * too; without, they keep running for the next agent of this node to adopt.
     */
    public void close(boolean stopWorkloads) {
        synchronized (this) {
            closed = true;
        }
        ControlLoop l = loop;
        if (l != null) l.close();
        if (stopWorkloads) {
            List<Thread> stoppers = supervisors.values().stream()
                    .map(s -> Thread.ofVirtual().start(() -> {
                        s.stop(config.stopGrace());
                        LocalRecord.forget(config.dataDir(), s.workload().id());
                        confinement.release(s.workload().id());
                    }))
                    .toList();
            for (Thread t : stoppers) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            reporter.withdraw();
            log.info("agent of {} stopped {} workloads", config.node(), stoppers.size());
        }
        runtime.close();
        bus.close();
    }

    @Override
    public void close() {
        close(true);
    }
}
