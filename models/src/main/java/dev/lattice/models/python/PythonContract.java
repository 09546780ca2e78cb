package dev.lattice.models.python;

import dev.lattice.core.LatticeException;

/**
 * A contract written in Python (API.md "Contracts as code"): its source and the caps of each call.
 *
 * @param source    the text of {@code contract.py}, which defines {@code preprocess(request)} and
 *                  {@code postprocess(outputs, request)}
 * @param timeoutMs how long one call may take before its worker is killed (504)
 * @param memoryMb  how much a worker may allocate beyond the interpreter's own footprint
 */
public record PythonContract(String source, int timeoutMs, int memoryMb) {
    /** The upload's contract file names a Python contract when it ends so. */
    public static final String SUFFIX = ".py";
    /** Warm workers per replica: one per core of a small node; more replicas add more. */
    public static final int WORKERS = 2;
    /** The interpreter: Debian's, where {@code python3-numpy} lands; {@code LATTICE_PYTHON} overrides it. */
    public static final String PYTHON_ENV = "LATTICE_PYTHON";
    public static final String DEFAULT_PYTHON = "/usr/bin/python3";

    public PythonContract {
        if (source == null || source.isBlank()) throw LatticeException.badRequest("models:contract.empty", "contract: the file is empty");
        // The caps were checked as the config's (ModelConfig.ContractCaps).
    }

    public static PythonContract of(String source, dev.lattice.api.models.ModelConfig.ContractCaps caps) {
        return new PythonContract(source, caps.timeoutMs(), caps.memoryMb());
    }

    /** The interpreter to run workers with. */
    public static String python() {
        String configured = System.getenv(PYTHON_ENV);
        return configured == null || configured.isBlank() ? DEFAULT_PYTHON : configured.strip();
    }
}
