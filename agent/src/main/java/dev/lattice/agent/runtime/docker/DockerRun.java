package dev.lattice.agent.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.WaitResponse;
import dev.lattice.agent.runtime.RunningWorkload;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One container of a workload, started or adopted by the {@link DockerRuntime}. A wait stream on the
 * engine completes {@link #exit()}; the container is then removed (its output is already in the
 * workload's log file), so a finished run leaves nothing behind.
 */
final class DockerRun implements RunningWorkload {
    private static final Logger log = LoggerFactory.getLogger(DockerRun.class);
    private static final Duration LOG_DRAIN = Duration.ofSeconds(2);
    private static final Duration REWAIT = Duration.ofSeconds(2);

    private final DockerClient docker;
    private final String containerId;
    private final String workload;
    /** docker-init, the container's PID 1 on the host; -1 when the engine is remote. */
    private final long initPid;
    private final UsageProbe usage;
    private final LogFollower logs;
    private final Executor executor;
    private final Consumer<DockerRun> onEnd;
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    private volatile ResultCallback.Adapter<WaitResponse> waitStream;
    private volatile boolean detached;
    private volatile boolean engineTroubleLogged;
    private volatile long mainPid;
    /** Read from the engine before the container is removed: afterwards nobody can say. */
    private volatile boolean oomKilled;

    DockerRun(DockerClient docker, String containerId, String workload, long initPid, UsageProbe usage,
              LogFollower logs, Executor executor, Consumer<DockerRun> onEnd) {
        this.docker = docker;
        this.containerId = containerId;
        this.workload = workload;
        this.initPid = initPid;
        this.usage = usage;
        this.logs = logs;
        this.executor = executor;
        this.onEnd = onEnd;
        awaitExit();
    }

    @Override
    public String handle() {
        return DockerRuntime.HANDLE_PREFIX + containerId;
    }

    String containerId() {
        return containerId;
    }

    /**
     * The workload's own main process: the first child of docker-init, which is what a signal
     * meant for "the workload" must reach (stopping docker-init would freeze nothing). docker-init
     * forks it just after the container starts, so this looks for it briefly; -1 on a remote engine.
     */
    @Override
    public long pid() {
        if (initPid <= 0) return -1;
        long known = mainPid;
        if (known > 0) return known;
        for (int i = 0; i < 20; i++) {
            var child = ProcessHandle.of(initPid).flatMap(h -> h.children().findFirst());
            if (child.isPresent()) return mainPid = child.get().pid();
            if (!ProcessHandle.of(initPid).map(ProcessHandle::isAlive).orElse(false)) break;
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return initPid;
    }

    @Override
    public CompletableFuture<Integer> exit() {
        return exit;
    }

    @Override
    public boolean oomKilled() {
        return oomKilled;
    }

    @Override
    public Usage usage() {
        return exit.isDone() ? Usage.NONE : usage.read();
    }

    /**
     * Wakes every process of the container (a SIGSTOPped process cannot act on SIGTERM), then
     * {@code docker stop} (SIGTERM through docker-init, SIGKILL after {@code grace}, rounded up to
     * whole seconds as the engine counts them), then removes the container and waits for {@link #exit()}.
     */
    @Override
    public void stop(Duration grace) {
        if (exit.isDone()) return;
        wake();
        int seconds = (int) Math.min(Integer.MAX_VALUE, (grace.toMillis() + 999) / 1000);
        try {
            docker.stopContainerCmd(containerId).withTimeout(seconds).exec();
        } catch (NotModifiedException | NotFoundException alreadyStopped) {
            // it ended by itself meanwhile
        } catch (RuntimeException e) {
            log.warn("docker stop of container {} (workload {}) failed: {}", containerId, workload, e.toString());
        }
        // The removal below races the wait stream's own inspect: read the OOM flag while it is there to read.
        noteOom();
        remove();
        try {
            exit.get(REWAIT.toMillis() + LOG_DRAIN.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception notYet) {
            log.warn("Container {} (workload {}) was stopped but its end was not seen in time", containerId, workload);
        }
    }

    private void wake() {
        if (!(usage instanceof CgroupUsage cgroup)) return;
        List<Long> pids = cgroup.pids();
        if (pids.isEmpty()) return;
        List<String> cmd = new ArrayList<>(List.of("kill", "-CONT"));
        pids.forEach(p -> cmd.add(Long.toString(p)));
        try {
            new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start().waitFor(2, TimeUnit.SECONDS);
        } catch (IOException e) {
            // no kill(1): the stop still ends it, by SIGKILL after the grace
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops watching without touching the container (the runtime is closing; a later agent adopts it). */
    void detach() {
        detached = true;
        logs.stop();
        usage.close();
        var w = waitStream;
        if (w != null) {
            try {
                w.close();
            } catch (IOException ignored) {
                // gone either way
            }
        }
    }

    private void noteOom() {
        try {
            if (Boolean.TRUE.equals(docker.inspectContainerCmd(containerId).exec().getState().getOOMKilled())) oomKilled = true;
        } catch (RuntimeException goneOrUnreachable) {
            // removed already (its end was seen, and its flag read, by the wait stream) or the engine is away
        }
    }

    private void awaitExitSoon() {
        CompletableFuture.delayedExecutor(REWAIT.toMillis(), TimeUnit.MILLISECONDS, executor).execute(this::awaitExit);
    }

    private void awaitExit() {
        if (detached) return;
        try {
            waitStream = docker.waitContainerCmd(containerId).exec(new ResultCallback.Adapter<>() {
                private volatile Integer code;

                @Override
                public void onNext(WaitResponse r) {
                    code = r.getStatusCode();
                }

                @Override
                public void onError(Throwable t) {
                    // No ERROR log from the template: an engine restart is handled below, a close is ours.
                    later(() -> waitEnded(null));
                }

                @Override
                public void onComplete() {
                    Integer c = code;
                    later(() -> waitEnded(c));
                }
            });
        } catch (RuntimeException e) {
            later(() -> waitEnded(null));
        }
    }

    /** Off the docker-java stream thread, which holds its connection until the callback returns. */
    private void later(Runnable task) {
        try {
            executor.execute(task);
        } catch (RejectedExecutionException closing) {
            // the runtime is closing: nothing more to watch
        }
    }

    /** The wait stream ended: with the exit code, or broken (then the engine is asked what happened). */
    private void waitEnded(Integer code) {
        if (detached || exit.isDone()) return;
        InspectContainerResponse.ContainerState state = null;
        try {
            state = docker.inspectContainerCmd(containerId).exec().getState();
        } catch (NotFoundException gone) {
            // removed (by stop or sweep): the wait's code, if any, is all there is
        } catch (RuntimeException engineTrouble) {
            if (!engineTroubleLogged) {
                engineTroubleLogged = true;
                log.warn("Lost the Docker engine while watching container {} (workload {}); retrying: {}",
                        containerId, workload, engineTrouble.toString());
            }
            awaitExitSoon();
            return;
        }
        if (state != null && Boolean.TRUE.equals(state.getRunning())) {
            // The stream broke but the container lives on (the engine restarted with live-restore): watch again.
            awaitExitSoon();
            return;
        }
        if (code == null && state != null && state.getExitCodeLong() != null) code = state.getExitCodeLong().intValue();
        finish(code == null ? -1 : code, state != null && Boolean.TRUE.equals(state.getOOMKilled()));
    }

    private void finish(int code, boolean outOfMemory) {
        if (outOfMemory) oomKilled = true; // before exit completes: callers ask once it has
        logs.awaitEnd(LOG_DRAIN);
        remove();
        usage.close();
        log.info("Container {} of workload {} exited with code {}{}", containerId.substring(0, 12), workload, code,
                oomKilled ? " (killed: out of memory)" : "");
        onEnd.accept(this);
        exit.complete(code);
    }

    private void remove() {
        try {
            docker.removeContainerCmd(containerId).withForce(true).withRemoveVolumes(true).exec();
        } catch (NotFoundException | ConflictException alreadyGoing) {
            // removed already, or its removal is under way
        } catch (RuntimeException e) {
            log.warn("Could not remove container {} (workload {}): {}", containerId, workload, e.toString());
        }
    }
}
