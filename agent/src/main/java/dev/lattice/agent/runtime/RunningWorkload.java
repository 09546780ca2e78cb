package dev.lattice.agent.runtime;

import dev.lattice.agent.supervision.Supervised;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** One run of a workload, started or adopted by a {@link WorkloadRuntime}; supervised as any run is. Thread-safe. */
public interface RunningWorkload extends Supervised.Run {

    /**
     * What finds this run again after an agent restart, e.g. {@code pid:1234:1764000000000}
     * (pid and start time, so a recycled pid is not mistaken for it) or {@code container:ID}.
     */
    String handle();

    /** The host pid of its main process, or -1 if not known (e.g. a remote Docker host). */
    @Override
    long pid();

    /** Completes when the run ends, with its exit code (-1 if it cannot be known, e.g. an adopted process). */
    @Override
    CompletableFuture<Integer> exit();

    /** Asks it to stop (SIGTERM to the whole process group or container), kills it after {@code grace}; returns when it is gone. */
    @Override
    void stop(Duration grace);

    /**
     * Whether the kernel killed this run for exceeding its memory limit; asked once {@link #exit()}
     * has completed. Default: not known, so no.
     */
    default boolean oomKilled() {
        return false;
    }

    /** Cumulative CPU time and current resident memory of the run (all its processes), best effort. */
    Usage usage();

    /** CPU time used since the run started, and memory in use now. */
    record Usage(long cpuNanos, long rssBytes) {
        public static final Usage NONE = new Usage(0, 0);
    }
}
