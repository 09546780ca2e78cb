package dev.lattice.agent;

import dev.lattice.agent.supervision.Backoff;
import dev.lattice.agent.runtime.Launch;
import dev.lattice.agent.runtime.RunningWorkload;
import dev.lattice.agent.runtime.WorkloadRuntime;
import dev.lattice.workloads.NodeReport;
import dev.lattice.workloads.Workload;
import dev.lattice.workloads.WorkloadStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one workload running on this node: starts it (or adopts the run an earlier agent
 * left), waits for it, and when it ends unasked, restarts it after the {@link Backoff} delay
 * (1 s doubling to 60 s; reset after 10 min healthy). Thread-safe; one platform thread each.
 */
final class WorkloadSupervisor {
    private static final Logger log = LoggerFactory.getLogger(WorkloadSupervisor.class);

    /** Told about what a supervisor does, to persist it, report it and publish events. */
    interface Listener {
        void started(Workload workload, RunningWorkload run, int restarts, boolean adopted);

        /** It ended unasked ({@code last}: how; OOMKilled when the kernel killed it for its memory) and will be restarted. */
        void exited(Workload workload, NodeReport.LastExit last, int restarts, Duration restartIn);

        void failedToStart(Workload workload, String reason, Duration retryIn);

        /** A workload that serves HTTP became ready, or stopped being ready. */
        void readinessChanged(Workload workload, boolean ready);
    }

    /** How often readiness is asked while starting, and once ready; misses in a row before "not ready". */
    private static final Duration PROBE_STARTING = Duration.ofMillis(200);
    private static final Duration PROBE_READY = Duration.ofSeconds(2);
    private static final int MISSES_ALLOWED = 3;

    /** Readies a launch before each start, e.g. downloads its artefact; may take a while, may fail. */
    interface Preparer {
        Launch prepare(Launch launch) throws Exception;
    }

    private final Workload workload;
    private final Launch launch;
    private final WorkloadRuntime runtime;
    private final Backoff backoff;
    private final Clock clock;
    private final Listener listener;
    private final Preparer preparer;
    private final Thread thread;
    private volatile boolean stopping;
    private volatile RunningWorkload current;
    private volatile int restarts;
    private volatile WorkloadStatus status = WorkloadStatus.STARTING;
    private volatile String message = "";
    private volatile Instant since;
    private volatile NodeReport.LastExit lastExit;

    WorkloadSupervisor(Workload workload, Launch launch, WorkloadRuntime runtime, Backoff backoff, Clock clock,
                       Listener listener, Preparer preparer, int restarts, Optional<String> adoptHandle) {
        this.preparer = preparer;
        this.workload = workload;
        this.launch = launch;
        this.runtime = runtime;
        this.backoff = backoff;
        this.clock = clock;
        this.listener = listener;
        this.restarts = restarts;
        this.since = clock.instant();
        this.thread = Thread.ofPlatform().daemon().name("workload-" + workload.id()).start(() -> run(adoptHandle));
    }

    Workload workload() {
        return workload;
    }

    RunningWorkload current() {
        return current;
    }

    NodeReport.Running report() {
        RunningWorkload run = current;
        return new NodeReport.Running(workload.id(), workload.deployment(), workload.kind(), status, restarts,
                run == null ? null : run.handle(), message, since, null, lastExit);
    }

    /** The port this workload serves HTTP on (given by the agent in {@code LATTICE_PORT}), or 0. */
    int port() {
        String p = launch.env().get("LATTICE_PORT");
        return p == null ? 0 : Integer.parseInt(p);
    }

    private void status(WorkloadStatus next, String why) {
        if (next != status) since = clock.instant();
        status = next;
        message = why;
    }

    private void run(Optional<String> adoptHandle) {
        int failures = 0;
        Optional<RunningWorkload> adopted = adoptHandle.flatMap(h -> runtime.adopt(launch, h));
        while (!stopping) {
            Instant started = clock.instant();
            int exit;
            try {
                RunningWorkload run;
                boolean wasAdopted = adopted.isPresent();
                if (wasAdopted) {
                    run = adopted.get();
                    adopted = Optional.empty();
                } else {
                    status(WorkloadStatus.STARTING, "");
                    run = runtime.start(preparer.prepare(launch));
                }
                current = run;
                if (stopping) { // stop() ran while it was starting: it must not survive
                    run.stop(Duration.ofSeconds(5));
                    break;
                }
                if (launch.spec().http() == null) status(WorkloadStatus.RUNNING, "");
                else {
                    status(WorkloadStatus.STARTING, "waiting until " + launch.spec().http().readyPath() + " answers");
                    RunningWorkload probed = run;
                    Thread.ofVirtual().name("probe-" + workload.id()).start(() -> probe(probed));
                }
                listener.started(workload, run, restarts, wasAdopted);
                exit = run.exit().get();
            } catch (InterruptedException e) {
                break;
            } catch (Exception e) {
                if (stopping) break;
                String reason = e instanceof ExecutionException ee ? String.valueOf(ee.getCause()) : e.getMessage();
                Duration delay = backoff.delay(failures, Duration.ZERO);
                failures = backoff.failuresAfter(failures, Duration.ZERO);
                status(WorkloadStatus.FAILED, "cannot start: " + reason);
                log.warn("{}: cannot start: {}; retrying in {} ms", workload.id(), reason, delay.toMillis());
                listener.failedToStart(workload, reason, delay);
                if (!pause(delay)) break;
                continue;
            }
            if (stopping) break;
            Duration ran = Duration.between(started, clock.instant());
            Duration delay = backoff.delay(failures, ran);
            failures = backoff.failuresAfter(failures, ran);
            restarts++;
            boolean oom = current != null && current.oomKilled();
            lastExit = new NodeReport.LastExit(oom ? NodeReport.LastExit.OOM_KILLED : exit == 0 ? "Completed" : "Error", exit, clock.instant());
            status(WorkloadStatus.FAILED, oom ? "OOMKilled: exceeded its memory limit" : "exited with code " + exit);
            log.warn("{} {} after {} s; restart {} in {} ms", workload.id(), oom ? "was OOM-killed" : "exited with code " + exit,
                    ran.toSeconds(), restarts, delay.toMillis());
            listener.exited(workload, lastExit, restarts, delay);
            if (!pause(delay)) break;
        }
    }

    /**
     * Asks the run for readiness until it ends: every 200 ms until ready, then every 2 s; three
     * misses in a row make it STARTING again (not restarted: a busy server may answer late).
     */
    private void probe(RunningWorkload run) {
        ReadinessProbe probe = new ReadinessProbe(port(), launch.spec().http().readyPath(), launch.env());
        int misses = 0;
        while (!stopping && current == run && !run.exit().isDone()) {
            String why = probe.check();
            boolean running = status == WorkloadStatus.RUNNING;
            if (why == null) {
                misses = 0;
                if (!running && current == run && !stopping && !run.exit().isDone()) {
                    status(WorkloadStatus.RUNNING, "");
                    listener.readinessChanged(workload, true);
                }
            } else if (running && ++misses >= MISSES_ALLOWED && current == run && !stopping) {
                status(WorkloadStatus.STARTING, "not ready: " + why);
                listener.readinessChanged(workload, false);
            }
            if (!pause(status == WorkloadStatus.RUNNING ? PROBE_READY : PROBE_STARTING)) return;
        }
    }

    private boolean pause(Duration delay) {
        try {
            synchronized (this) {
                long until = System.nanoTime() + delay.toNanos();
                while (!stopping && System.nanoTime() < until) {
                    wait(Math.max(1, (until - System.nanoTime()) / 1_000_000));
                }
            }
            return !stopping;
        } catch (InterruptedException e) {
            return false;
        }
    }

    /** Stops supervising and ends the workload; returns when it is gone. */
    void stop(Duration grace) {
        stopping = true;
        synchronized (this) {
            notifyAll();
        }
        RunningWorkload run = current;
        if (run != null) run.stop(grace);
        status(WorkloadStatus.STOPPED, "stopped");
        thread.interrupt();
    }

}
