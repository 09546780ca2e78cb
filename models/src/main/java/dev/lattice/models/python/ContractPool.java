package dev.lattice.models.python;

import dev.lattice.core.LatticeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fixed number of warm workers of one contract. A call takes a worker, and gives it back, or
 * (when the call spent it: over its time or memory, or dead) closes it and starts a fresh one in
 * the background, so one hostile request costs one worker's restart (~50 ms), never the server.
 *
 * <p>Thread-safe.
 */
public final class ContractPool implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ContractPool.class);
    /** A worker's start: the interpreter, numpy's import, the sandbox and the contract's own imports. */
    static final long START_TIMEOUT_MS = 20_000;
    /** How long a call waits for a free worker before the server says it is busy. */
    private static final Duration LEASE_WAIT = Duration.ofSeconds(10);

    private final PythonContract contract;
    private final Path tmpRoot;
    private final BlockingQueue<ContractWorker> idle = new LinkedBlockingQueue<>();
    private final List<ContractWorker> all = new ArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    private ContractPool(PythonContract contract, Path tmpRoot) {
        this.contract = contract;
        this.tmpRoot = tmpRoot;
    }

    /**
     * Starts {@code size} workers (each loads the contract) and waits for them.
     *
     * @throws LatticeException 400 when the contract does not load (its exception's last line),
     *                          503 when this node cannot run or confine Python
     */
    public static ContractPool start(PythonContract contract, int size, Path tmpRoot) {
        ContractPool pool = new ContractPool(contract, tmpRoot);
        try {
            for (int i = 0; i < size; i++) pool.add(ContractWorker.start(contract, tmpRoot, START_TIMEOUT_MS));
        } catch (ContractWorker.Failed e) {
            pool.close();
            throw startFailure(e);
        }
        return pool;
    }

    static LatticeException startFailure(ContractWorker.Failed e) {
        if (e.phase.equals("load")) return LatticeException.badRequest("models:contract.python", "contract.py: " + e.getMessage());
        return LatticeException.unavailable("models:contract.sandbox", "Python contracts cannot run on this node: " + e.getMessage());
    }

    public PythonContract contract() {
        return contract;
    }

    private synchronized void add(ContractWorker worker) {
        if (closed.get()) {
            worker.close();
            return;
        }
        all.add(worker);
        idle.add(worker);
    }

    /** A free worker, waiting for one if all are busy. */
    ContractWorker take() {
        try {
            ContractWorker w = idle.poll(LEASE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (w == null) throw LatticeException.unavailable("models:contract.busy", "every worker of the contract is busy: try again");
            return w;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw LatticeException.unavailable("models:contract.busy", "interrupted while waiting for a worker");
        }
    }

    /** Gives back a worker that may serve again. */
    void give(ContractWorker worker) {
        if (closed.get() || !worker.isAlive()) {
            replace(worker);
            return;
        }
        idle.add(worker);
    }

    /** Ends a spent worker and starts its successor in the background. */
    void replace(ContractWorker worker) {
        worker.close();
        synchronized (this) {
            all.remove(worker);
        }
        if (closed.get()) return;
        Thread.ofVirtual().name("contract-restart").start(() -> {
            for (long backoff = 100; !closed.get(); backoff = Math.min(backoff * 2, 10_000)) {
                try {
                    add(ContractWorker.start(contract, tmpRoot, START_TIMEOUT_MS));
                    return;
                } catch (ContractWorker.Failed e) {
                    log.warn("a fresh worker of the contract failed to start ({}): trying again in {} ms", e.getMessage(), backoff);
                    try {
                        Thread.sleep(backoff);
                    } catch (InterruptedException ie) {
                        return;
                    }
                }
            }
        });
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        List<ContractWorker> workers;
        synchronized (this) {
            workers = List.copyOf(all);
            all.clear();
        }
        idle.clear();
        workers.forEach(ContractWorker::close);
    }
}
