package dev.lattice.agent.runtime;

import dev.lattice.workloads.WorkloadSpec;
import java.io.IOException;
import java.util.Optional;
import java.util.Set;

/**
 * How a node runs workloads: as supervised child processes ({@code process}) or as containers
 * through the Docker Engine API ({@code docker}). The agent does the supervising (restarts,
 * back-off, status, reports); a runtime only starts, finds again, measures and stops.
 * Implementations are thread-safe.
 */
public interface WorkloadRuntime extends AutoCloseable {

    /** {@code process} or {@code docker}, as nodes report it. */
    String name();

    /** How it confines user workloads, as the node reports it (e.g. {@code bwrap+cgroup-v1}). */
    default String sandbox() {
        return "none";
    }

    /** Why this runtime cannot run {@code spec} (e.g. an image on the process runtime), or empty if it can. */
    Optional<String> refuses(WorkloadSpec spec);

    /**
     * Starts one run of a workload. Its output (stdout and stderr) is appended to
     * {@link Launch#logFile()}, also across restarts, so the agent can serve the tail of it.
     */
    RunningWorkload start(Launch launch) throws IOException;

    /**
     * Finds a run that an earlier agent process started (the agent was killed and restarted),
     * by the {@link RunningWorkload#handle()} it recorded; empty if that run has ended.
     */
    Optional<RunningWorkload> adopt(Launch launch, String handle);

    /**
     * Ends whatever this runtime started for {@code node} earlier and is not in {@code keepHandles}
     * (leftovers of an agent that died before it could record them). Default: nothing to sweep.
     */
    default void sweep(String node, Set<String> keepHandles) {}

    /**
     * Where this machine reaches the ports of the workloads it runs (its readiness probes): loopback
     * for processes and a local engine's host-network containers, the engine's host for a remote one.
     */
    default String workloadHost() {
        return "127.0.0.1";
    }

    /** The remote Docker engine this runtime drives, for the node's report; null for any other. */
    default dev.lattice.workloads.DockerEngine engine() {
        return null;
    }

    /**
     * Whether what runs the workloads answers now (a remote Docker engine may be away). While it
     * does not, the agent neither acts nor reports, so its node turns NOT_READY and its workloads move.
     */
    default boolean available() {
        return true;
    }

    @Override
    default void close() {}
}
