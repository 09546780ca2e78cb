package dev.lattice.agent;

import dev.lattice.agent.runtime.RunningWorkload;
import dev.lattice.agent.runtime.WorkloadRuntime;
import dev.lattice.agent.supervision.Backoff;
import dev.lattice.agent.supervision.Supervised;
import dev.lattice.agent.supervision.Supervisor;
import dev.lattice.workloads.NodeReport;
import dev.lattice.workloads.Workload;
import dev.lattice.workloads.WorkloadStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One workload on this node as the {@link Supervisor} keeps it running: each start readies its
 * launch (artefact, folder) and hands it to the runtime; the first may instead take over the run
 * an earlier agent left. What the supervisor does becomes the workload's status (STARTING,
 * RUNNING, FAILED, STOPPED), its last exit and, for one that serves HTTP, its readiness.
 * Thread-safe.
 */
final class SupervisedWorkload implements Supervised<RunningWorkload> {
    private static final Logger log = LoggerFactory.getLogger(SupervisedWorkload.class);

    /** Told about what happens to the workload, to persist it, report it and publish events. */
    interface Listener {
        void started(SupervisedWorkload w, RunningWorkload run, int restarts, boolean adopted);

        /** It ended unasked ({@code last}: how; OOMKilled when the kernel killed it for its memory) and will be restarted. */
        void exited(SupervisedWorkload w, NodeReport.LastExit last, int restarts, Duration restartIn);

        void failedToStart(SupervisedWorkload w, String reason, Duration retryIn);

        /** A workload that serves HTTP became ready, or stopped being ready. */
        void readinessChanged(SupervisedWorkload w, boolean ready);
    }

    /** Readies a plan before each start, e.g. downloads its artefact; may take a while, may fail. */
    interface Preparer {
        LaunchPlan prepare(LaunchPlan plan) throws Exception;
    }

    /** How often readiness is asked while starting, and once ready; misses in a row before "not ready". */
    private static final Duration PROBE_STARTING = Duration.ofMillis(200);
    private static final Duration PROBE_READY = Duration.ofSeconds(2);
    private static final int MISSES_ALLOWED = 3;

    private final Workload workload;
    private final LaunchPlan plan;
    private final WorkloadRuntime runtime;
    private final Preparer preparer;
    private final Optional<String> adoptHandle;
    private final Clock clock;
    private final Listener listener;
    private final Supervisor<RunningWorkload> supervisor;
    private volatile boolean stopped;
    private volatile WorkloadStatus status = WorkloadStatus.STARTING;
    private volatile String message = "";
    private volatile Instant since;
    private volatile NodeReport.LastExit lastExit;

    /** Starts supervising; {@code restarts} and {@code adoptHandle}: what an earlier agent recorded of it. */
    SupervisedWorkload(Workload workload, LaunchPlan plan, WorkloadRuntime runtime, Backoff backoff, Clock clock,
                       Listener listener, Preparer preparer, int restarts, Optional<String> adoptHandle) {
        this.workload = workload;
        this.plan = plan;
        this.runtime = runtime;
        this.preparer = preparer;
        this.adoptHandle = adoptHandle;
        this.clock = clock;
        this.listener = listener;
        this.since = clock.instant();
        this.supervisor = new Supervisor<>(this, backoff, clock, restarts, new Events());
        supervisor.start(); // last: its callbacks use the fields above
    }

    @Override
    public String name() {
        return workload.id();
    }

    @Override
    public Optional<RunningWorkload> adopt() {
        return adoptHandle.flatMap(h -> runtime.adopt(plan.launch(), h));
    }

    @Override
    public RunningWorkload start() throws Exception {
        status(WorkloadStatus.STARTING, "");
        return runtime.start(preparer.prepare(plan).launch());
    }

    Workload workload() {
        return workload;
    }

    /** The current run (or the last, between runs), or null before the first. */
    RunningWorkload current() {
        return supervisor.current();
    }

    /** When its status last changed: for a run going well, when it started (or was adopted). */
    Instant since() {
        return since;
    }

    NodeReport.Running report() {
        RunningWorkload run = supervisor.current();
        return new NodeReport.Running(workload.id(), workload.deployment(), workload.kind(), status, supervisor.restarts(),
                run == null ? null : run.handle(), message, since, null, lastExit);
    }

    /** The port this workload serves HTTP on (given by the agent in {@code LATTICE_PORT}), or 0. */
    int port() {
        return plan.port();
    }

    private void status(WorkloadStatus next, String why) {
        if (next != status) since = clock.instant();
        status = next;
        message = why;
    }

    /** The supervisor's events as the workload's status, then passed on. */
    private final class Events implements Supervisor.Listener<RunningWorkload> {
        @Override
        public void started(RunningWorkload run, int restarts, boolean adopted) {
            if (plan.spec().http() == null) status(WorkloadStatus.RUNNING, "");
            else {
                status(WorkloadStatus.STARTING, "waiting until " + plan.spec().http().readyPath() + " answers");
                Thread.ofVirtual().name("probe-" + workload.id()).start(() -> probe(run));
            }
            listener.started(SupervisedWorkload.this, run, restarts, adopted);
        }

        @Override
        public void exited(RunningWorkload run, int exit, Duration ran, int restarts, Duration restartIn) {
            boolean oom = run.oomKilled();
            if (oom) log.warn("{} was OOM-killed: it exceeded its memory limit", workload.id());
            lastExit = new NodeReport.LastExit(oom ? NodeReport.LastExit.OOM_KILLED : exit == 0 ? "Completed" : "Error", exit,
                    clock.instant());
            status(WorkloadStatus.FAILED, oom ? "OOMKilled: exceeded its memory limit" : "exited with code " + exit);
            listener.exited(SupervisedWorkload.this, lastExit, restarts, restartIn);
        }

        @Override
        public void failedToStart(String reason, Duration retryIn) {
            status(WorkloadStatus.FAILED, "cannot start: " + reason);
            listener.failedToStart(SupervisedWorkload.this, reason, retryIn);
        }
    }

    /**
     * Asks the run for readiness until it ends: every 200 ms until ready, then every 2 s; three
     * misses in a row make it STARTING again (not restarted: a busy server may answer late).
     */
    private void probe(RunningWorkload run) {
        ReadinessProbe probe = new ReadinessProbe(runtime.workloadHost(), port(), plan.spec().http().readyPath(), plan.env());
        int misses = 0;
        while (live(run)) {
            String why = probe.check();
            boolean running = status == WorkloadStatus.RUNNING;
            if (why == null) {
                misses = 0;
                if (!running && live(run)) {
                    status(WorkloadStatus.RUNNING, "");
                    listener.readinessChanged(this, true);
                }
            } else if (running && ++misses >= MISSES_ALLOWED && live(run)) {
                status(WorkloadStatus.STARTING, "not ready: " + why);
                listener.readinessChanged(this, false);
            }
            if (!waitWhileRunning(run, status == WorkloadStatus.RUNNING ? PROBE_READY : PROBE_STARTING)) return;
        }
    }

    private boolean live(RunningWorkload run) {
        return !stopped && supervisor.current() == run && !run.exit().isDone();
    }

    /** Waits {@code delay}, or less if the run ends first; false if it ended (or the wait was interrupted). */
    private static boolean waitWhileRunning(RunningWorkload run, Duration delay) {
        try {
            run.exit().get(delay.toMillis(), TimeUnit.MILLISECONDS);
            return false;
        } catch (TimeoutException e) {
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            return false;
        }
    }

    /** Stops supervising and ends the workload; returns when it is gone. */
    void stop(Duration grace) {
        stopped = true;
        supervisor.stop(grace);
        status(WorkloadStatus.STOPPED, "stopped");
    }
}
