package dev.lattice.agent;

import dev.lattice.agent.runtime.Sandbox;
import dev.lattice.agent.runtime.sandbox.UidPool;
import dev.lattice.workloads.Resources;
import dev.lattice.workloads.Workload;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides how each of this node's user workloads is confined (DESIGN "Trust boundaries"): a uid
 * of its own from the host's {@link UidPool}, kept for as long as the workload is assigned here
 * (across restarts, and recorded so an adopted run keeps it), its declared resources as kernel
 * limits, and the platform's folders hidden. Platform services — the node's static workloads —
 * are not confined. With {@code insecure} (--insecure-workloads), nothing is. Thread-safe.
 */
final class Confinement {
    /** The memory limit of a workload that declared none: best effort, but never the whole node. */
    static final int DEFAULT_MEMORY_MB = 1024;

    private final UidPool uids;
    private final List<Path> hidden;
    private final Map<String, Integer> given = new ConcurrentHashMap<>();

    /** {@code uids} null: workloads run unconfined (--insecure-workloads). */
    Confinement(UidPool uids, List<Path> hidden) {
        this.uids = uids;
        this.hidden = List.copyOf(hidden);
    }

    boolean enabled() {
        return uids != null;
    }

    /**
     * The sandbox of a user workload, or null (unconfined). {@code recordedUid}: the uid an earlier
     * agent gave the run it left (0: none), taken again if no one else holds it.
     */
    Sandbox sandboxFor(Workload w, Path folder, int recordedUid) {
        if (uids == null) return null;
        int uid = given.computeIfAbsent(w.id(), id -> recordedUid > 0 && uids.reacquire(recordedUid) ? recordedUid : uids.acquire());
        Resources r = w.spec().resources();
        return new Sandbox(uid, uid, r.memoryMb() > 0 ? r.memoryMb() : DEFAULT_MEMORY_MB, r.cpu(), r.pidsLimit(), hidden, folder);
    }

    /** Gives the workload its folder (after the agent put its artefact there as root). */
    void handOver(Sandbox sandbox, Path folder) throws IOException {
        if (sandbox != null) Owner.giveTo(folder, sandbox.uid(), sandbox.gid());
    }

    /** A sandbox that only names a run an earlier agent left (its cgroup), to end it. */
    static Sandbox toEnd(int recordedUid) {
        return recordedUid > 0 ? new Sandbox(recordedUid, recordedUid, 1, 0, 1, List.of()) : null;
    }

    int uidOf(String workloadId) {
        return given.getOrDefault(workloadId, 0);
    }

    /** The workload left this node: its uid may go to another. */
    void release(String workloadId) {
        Integer uid = given.remove(workloadId);
        if (uid != null && uids != null) uids.release(uid);
    }

    static Confinement create(boolean insecure, List<Path> hidden) {
        if (insecure) return new Confinement(null, hidden);
        try {
            return new Confinement(UidPool.forHost(), hidden);
        } catch (IOException e) {
            // Never fall back to running user code unconfined.
            throw new IllegalStateException("cannot keep workload uids: " + e.getMessage(), e);
        }
    }
}
