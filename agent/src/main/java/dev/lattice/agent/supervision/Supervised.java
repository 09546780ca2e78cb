package dev.lattice.agent.supervision;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Something a {@link Supervisor} keeps running: it can be started (or a run left by an earlier
 * supervisor taken over), each run watched for its exit, and stopped. Implementations need not be
 * thread-safe for {@link #start}: the supervisor calls it from its one thread.
 */
public interface Supervised<R extends Supervised.Run> {

    /** For logs and the supervisor's thread name. */
    String name();

    /**
     * A run that is already going (an earlier agent left it: the agent was killed and restarted),
     * asked for once before the first start; empty: there is none, start one.
     */
    default Optional<R> adopt() {
        return Optional.empty();
    }

    /** Starts one run; throws if it cannot (a failed start is retried after the back-off, and is not a restart). */
    R start() throws Exception;

    /** One run: watched for its end, stopped on request. Thread-safe. */
    interface Run {
        /** The host pid of its main process, or -1 if not known. */
        long pid();

        /** Completes with its exit code when it ends (-1 if that cannot be known). */
        CompletableFuture<Integer> exit();

        /** Ends it: SIGTERM (or the like), then a kill after {@code grace}; returns when it is gone. */
        void stop(Duration grace);
    }
}
