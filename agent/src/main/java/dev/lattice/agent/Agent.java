package dev.lattice.agent;

import dev.lattice.agent.supervision.Backoff;
import dev.lattice.agent.runtime.Launch;
import dev.lattice.agent.runtime.RunningWorkload;
import dev.lattice.agent.runtime.WorkloadRuntime;
import dev.lattice.bus.Bus;
import dev.lattice.bus.heartbeat.Heartbeat;
import dev.lattice.bus.rpc.Handler;
import dev.lattice.bus.state.StateReporter;
import dev.lattice.bus.state.StateView;
import dev.lattice.bus.state.Versioned;
import dev.lattice.core.LatticeException;
import dev.lattice.core.Role;
import dev.lattice.workloads.AgentCommands;
import dev.lattice.workloads.Events;
import dev.lattice.workloads.NodeReport;
import dev.lattice.workloads.Workload;
import dev.lattice.repository.ArtefactClient;
import dev.lattice.repository.Endpoints;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node agent. Level-triggered: once a second, and whenever the deployer's assignments
 * change, it compares the workloads assigned to its node (plus its static ones) with what it
 * supervises, starts what is missing and stops what is no longer assigned — also the stale
 * copies left after it was frozen while the deployer moved them. Every second it reports its
 * node's capacity, measured load and workload states. Thread-safe.
 */
public final class Agent implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Agent.class);
    private static final Duration CATCH_UP = Duration.ofSeconds(60);

    private final AgentConfig config;
    private final Bus bus;
    private final WorkloadRuntime runtime;
    private final Backoff backoff;
    private final StateView<Workload> assignments;
    private final StateReporter<NodeReport> reports;
    private final Events events;
    private final LoadMeter meter;
    /**
     * The node as the runtime knows it: the Kafka cluster's id (the platform's identity) and the
     * node's name. Several platforms may share one Docker engine, each with a node {@code n1}; their
     * containers' names and labels must not collide, nor one agent's sweep remove another's.
     */
    private final String runtimeNode;
    private final Endpoints endpoints;
    private final ArtefactClient artefacts = new ArtefactClient();
    private final Confinement confinement;
    private final Instant startedAt;
    private final Map<String, WorkloadSupervisor> supervisors = new ConcurrentHashMap<>();
    private final Map<String, WorkloadSupervisor> stopping = new ConcurrentHashMap<>();
    private final Map<String, String> heartbeatInstances;
    private final Set<String> staticIds;
    private final ScheduledExecutorService timer;
    private volatile boolean closed;
    private final java.util.concurrent.atomic.AtomicBoolean reportQueued = new java.util.concurrent.atomic.AtomicBoolean();
    private LoadMeter.Load lastLoad; // only the timer thread

    private Agent(AgentConfig config, Bus bus, WorkloadRuntime runtime, Backoff backoff) {
        this.config = config;
        this.bus = bus;
        this.runtime = runtime;
        this.backoff = backoff;
        this.startedAt = bus.clock().instant();
        this.confinement = Confinement.create(config.insecureWorkloads(), config.hiddenFromWorkloads());
        if (!confinement.enabled()) log.warn("node {} runs user workloads UNCONFINED (--insecure-workloads): any app or model "
                + "can read the platform's secrets and take over this machine", config.node());
        this.meter = new LoadMeter(config.cpus());
        this.runtimeNode = platformId(bus) + "-" + config.node();
        this.events = Events.of(bus);
        this.reports = bus.reporter(NodeReport.KIND);
        this.heartbeatInstances = config.staticWorkloads().stream().filter(s -> s.heartbeatInstance() != null)
                .collect(Collectors.toMap(s -> s.workload().id(), AgentConfig.StaticWorkload::heartbeatInstance));
        this.staticIds = config.staticWorkloads().stream().map(s -> s.workload().id()).collect(Collectors.toUnmodifiableSet());
        this.assignments = bus.view(Workload.KIND, Workload.class);
        this.endpoints = Endpoints.follow(bus, CATCH_UP);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("agent-" + config.node()).unstarted(r));
    }

    /**
     * Starts the agent: reports the node at once (so it is READY before anything waits on it),
     * catches up with the assignments, adopts what an earlier agent of this node left running,
     * ends the leftovers it cannot adopt, then reconciles.
     */
    public static Agent start(AgentConfig config, Bus bus, WorkloadRuntime runtime, Backoff backoff) {
        Agent agent = new Agent(config, bus, runtime, backoff);
        agent.report();
        agent.assignments.awaitCaughtUp(CATCH_UP);
        agent.adoptOrEnd();
        agent.assignments.onChange(c -> agent.timer.execute(agent::reconcile));
        agent.timer.scheduleWithFixedDelay(agent::tick, 0, 1000, TimeUnit.MILLISECONDS);
        bus.serve(Map.of(AgentCommands.LOGS, (Handler) agent::logs));
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
        for (Versioned<Workload> v : assignments.list()) {
            if (config.node().equals(v.value().node())) want.put(v.value().id(), v.value());
        }
        return want;
    }

    private void adoptOrEnd() {
        Map<String, Workload> want = desired();
        Set<String> kept = new java.util.HashSet<>();
        for (LocalRecord r : LocalRecord.all(config.dataDir())) {
            Workload w = want.get(r.id());
            if (w != null && w.spec().equals(r.spec())) {
                kept.add(r.handle());
                supervise(w, r.restarts(), Optional.ofNullable(r.handle()), r.port(), r.uid());
                continue;
            }
            // Not ours any more (moved, deleted or changed while no agent watched): end it.
            runtime.adopt(launch(r.id(), r.spec(), r.port(), Confinement.toEnd(r.uid())), r.handle()).ifPresent(run -> {
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

    private void tick() {
        try {
            reconcile();
            report();
        } catch (RuntimeException e) {
            log.error("agent pass failed: {}", e.toString(), e);
        }
    }

    private synchronized void reconcile() {
        if (closed) return;
        Map<String, Workload> running = new HashMap<>();
        supervisors.forEach((id, s) -> running.put(id, s.workload()));
        Changes changes = Changes.between(desired(), running, stopping.keySet(), config.node());
        changes.stop().forEach((id, why) -> {
            WorkloadSupervisor s = supervisors.get(id);
            if (s != null) stopAsync(s, why);
        });
        for (Workload w : changes.start()) supervise(w, 0, Optional.empty(), 0, 0);
    }

    /**
     * {@code port}: the one an adopted run was given (0: choose one, if the workload serves HTTP);
     * {@code uid}: the one it ran as (0: none or a new one). The platform's services are not confined.
     */
    private void supervise(Workload w, int restarts, Optional<String> adopt, int port, int uid) {
        var sandbox = staticIds.contains(w.id()) ? null : confinement.sandboxFor(w, config.workloadDir(w.id()), uid);
        var sup = new WorkloadSupervisor(w, launch(w.id(), w.spec(), port, sandbox), runtime, backoff, bus.clock(), new Listener(),
                this::prepare, restarts, adopt);
        supervisors.put(w.id(), sup);
    }

    private Launch launch(String id, dev.lattice.workloads.WorkloadSpec spec, int port, dev.lattice.agent.runtime.Sandbox sandbox) {
        Map<String, String> env = new HashMap<>(spec.env());
        env.put("LATTICE_WORKLOAD_ID", id);
        env.put("LATTICE_NODE", config.node());
        // A placed workload's home is its own folder: what it (or a library in it, such as ONNX
        // Runtime's telemetry) writes under $HOME stays with it and goes when it goes.
        if (!staticIds.contains(id)) env.putIfAbsent("HOME", config.workloadDir(id).toString());
        // The port stays the workload's across restarts: its address does not change under the gateway.
        if (spec.http() != null) env.put("LATTICE_PORT", Integer.toString(port > 0 ? port : Ports.free()));
        // A container has its own pid namespace: a supervisor's host pid means nothing inside it.
        // The agent stops its containers itself when that supervisor goes.
        if (!runtime.name().equals("process")) env.remove("LATTICE_SUPERVISOR_PID");
        return new Launch(id, runtimeNode, spec, env, config.workloadDir(id), config.logFile(id), config.shared(id), sandbox);
    }

    /**
     * Downloads the workload's artefact from the repository into its folder (verified against
     * its SHA-256; kept, so a restart does not download again) and tells the workload where it is.
     */
    private static final String BUNDLE_FOLDER = "app";

    /** Readies a start: its artefact in its folder, then the folder handed to the workload's uid. */
    private Launch prepare(Launch launch) throws IOException {
        java.nio.file.Files.createDirectories(config.workloadDir(launch.id()));
        Launch ready = fetchArtefact(launch);
        confinement.handOver(launch.sandbox(), config.workloadDir(launch.id()));
        return ready;
    }

    private Launch fetchArtefact(Launch launch) {
        var artefact = launch.spec().artefact();
        if (artefact == null) return launch;
        Path target = launch.workDir().resolve(artefact.fileName());
        artefacts.fetch(endpoints.repository(), artefact.sha256(), target);
        Map<String, String> env = new HashMap<>(launch.env());
        if (!artefact.unpack()) {
            env.put("LATTICE_ARTEFACT", target.toString());
            return launch.with(env, launch.workDir());
        }
        // A bundle: unpacked once (a restart finds its folder as the app left it), and the workload
        // runs in it. Its HOME moves there too: under docker only the folder it runs in is mounted.
        Path folder = launch.workDir().resolve(BUNDLE_FOLDER);
        if (!java.nio.file.Files.isDirectory(folder))
            dev.lattice.workloads.bundle.Bundle.unpack(target, folder, dev.lattice.workloads.bundle.Limits.DEFAULT);
        env.put("LATTICE_ARTEFACT", folder.toString());
        if (!staticIds.contains(launch.id())) env.put("HOME", folder.toString());
        return launch.with(env, folder);
    }

    private void stopAsync(WorkloadSupervisor s, String why) {
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

    /** The full report: load measured anew (once a second). */
    private void report() {
        report(true);
    }

    /**
     * Reports the node; {@code measure}: sample the load anew (the once-a-second report), else
     * repeat the last sample (a report sent at once for a state change: with a hundred workloads
     * starting, measuring each time would cost more than the starts).
     */
    private void report(boolean measure) {
        Map<String, RunningWorkload> runs = new HashMap<>();
        Set<String> placed = new java.util.HashSet<>();
        List<NodeReport.Running> states = new ArrayList<>();
        for (WorkloadSupervisor s : supervisors.values()) {
            RunningWorkload run = s.current();
            if (run != null) {
                runs.put(run.handle(), run);
                if (!staticIds.contains(s.workload().id())) placed.add(run.handle());
            }
            states.add(withAddress(s));
        }
        for (WorkloadSupervisor s : stopping.values()) states.add(s.report());
        LoadMeter.Load load = measure || lastLoad == null ? meter.sample(runs, placed) : lastLoad;
        lastLoad = load;
        reports.put(config.node(), new NodeReport(config.node(), runtime.name(), config.labels(), config.cpus(),
                config.memoryMb(), load.cpu(), load.placedCpu(), load.memoryMb(), states, ProcessHandle.current().pid(),
                startedAt, bus.clock().instant(), confinement.enabled() ? runtime.sandbox() : NodeReport.UNCONFINED));
    }

    /** The workload's state, with the address others reach it at while it is ready (if it serves HTTP). */
    private NodeReport.Running withAddress(WorkloadSupervisor s) {
        NodeReport.Running r = s.report();
        if (s.port() == 0 || r.status() != dev.lattice.workloads.WorkloadStatus.RUNNING) return r;
        return r.withAddress("http://" + config.advertiseHost() + ":" + s.port());
    }

    private int portOf(String id) {
        WorkloadSupervisor s = supervisors.get(id);
        return s == null ? 0 : s.port();
    }

    /** A state change is reported at once, not at the next one-second report. */
    private void reportSoon() {
        // Many changes at once (a hundred starts) make one report, not a hundred.
        if (!closed && reportQueued.compareAndSet(false, true)) {
            timer.execute(() -> {
                reportQueued.set(false);
                report(false);
            });
        }
    }

    private Object logs(dev.lattice.bus.rpc.Request request) throws IOException {
        request.require(Role.ADMIN, Role.PLATFORM_CONFIGURER);
        AgentCommands.Logs ask = request.payload(AgentCommands.Logs.class);
        boolean known = supervisors.containsKey(ask.id()) || stopping.containsKey(ask.id())
                || java.nio.file.Files.exists(config.logFile(ask.id()));
        if (!known) throw LatticeException.notFound("agent:no-workload", "workload '" + ask.id() + "' has never run on " + config.node());
        return new AgentCommands.LogText(LogTail.read(config.logFile(ask.id()), ask.tail(), AgentCommands.MAX_LOG_BYTES));
    }

    private final class Listener implements WorkloadSupervisor.Listener {
        @Override
        public void started(Workload w, RunningWorkload run, int restarts, boolean adopted) {
            new LocalRecord(w.id(), run.handle(), restarts, w.spec(), portOf(w.id()), confinement.uidOf(w.id())).save(config.dataDir());
            reportSoon();
            if (adopted) events.publish("adopted", "workload/" + w.id(), "found running on " + config.node() + " after an agent restart");
            else if (restarts == 0) events.publish("started", "workload/" + w.id(), "started on " + config.node());
            else events.publish("restarted", "workload/" + w.id(), "restart " + restarts + " on " + config.node());
        }

        @Override
        public void exited(Workload w, NodeReport.LastExit last, int restarts, Duration restartIn) {
            int exitCode = last.exitCode();
            new LocalRecord(w.id(), null, restarts, w.spec(), portOf(w.id()), confinement.uidOf(w.id())).save(config.dataDir());
            reportSoon();
            String instance = heartbeatInstances.get(w.id());
            if (instance != null) { // a platform service: say it is DOWN now rather than after 3 s of silence
                Instant now = bus.clock().instant();
                bus.heartbeatFor(new Heartbeat(w.deployment(), instance, config.node(), -1,
                        Heartbeat.Status.DOWN, now, now));
            }
            if (NodeReport.LastExit.OOM_KILLED.equals(last.reason())) {
                events.publish("oom-killed", "workload/" + w.id(), "killed for exceeding its memory limit on " + config.node()
                        + "; restarting in " + restartIn.toMillis() + " ms");
            } else {
                events.publish("failed", "workload/" + w.id(), "exited with code " + exitCode + " on " + config.node()
                        + "; restarting in " + restartIn.toMillis() + " ms");
            }
        }

        @Override
        public void readinessChanged(Workload w, boolean ready) {
            reportSoon();
            if (ready) events.publish("ready", "workload/" + w.id(), "ready on " + config.node());
            else events.publish("not-ready", "workload/" + w.id(), "no longer ready on " + config.node());
        }

        @Override
        public void failedToStart(Workload w, String reason, Duration retryIn) {
            events.publish("failed", "workload/" + w.id(), "cannot start on " + config.node() + ": " + reason);
        }
    }

    /**
     * Stops the agent. With {@code stopWorkloads} (the node is shutting down) its workloads stop
     * too; without, they keep running for the next agent of this node to adopt.
     */
    public void close(boolean stopWorkloads) {
        synchronized (this) {
            closed = true;
        }
        timer.shutdownNow();
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
            reports.remove(config.node());
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
