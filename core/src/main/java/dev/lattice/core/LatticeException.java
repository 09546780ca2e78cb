package dev.lattice.core;

/**
 * The one error type of Lattice: a stable machine-readable code ({@code auth:user.exists}),
 * an HTTP status and a message written for a person.
 *
 * <p>Thrown anywhere (services, the bus, the gateway); the gateway renders it as RFC 9457
 * problem+json in one place, and the bus carries it across Kafka as a {@link Problem}.
 * Immutable, so safe to share between threads.
 */
public class LatticeException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String code;
    private final int status;

    public LatticeException(String code, int status, String message) {
        this(code, status, message, null);
    }

    public LatticeException(String code, int status, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.status = status;
    }

    public String code() { return code; }

    public int status() { return status; }

    /** Bad input; the message names the field (API.md). */
    public static LatticeException badRequest(String code, String message) {
        return new LatticeException(code, 400, message);
    }

    public static LatticeException unauthorized(String message) {
        return new LatticeException("auth:unauthorized", 401, message);
    }

    public static LatticeException forbidden(String message) {
        return new LatticeException("auth:forbidden", 403, message);
    }

    public static LatticeException notFound(String code, String message) {
        return new LatticeException(code, 404, message);
    }

    /** A name already taken or a write against a stale version. */
    public static LatticeException conflict(String code, String message) {
        return new LatticeException(code, 409, message);
    }

    public static LatticeException tooLarge(String message) {
        return new LatticeException("http:too-large", 413, message);
    }

    public static LatticeException unavailable(String code, String message) {
        return new LatticeException(code, 503, message);
    }

    /** Rebuilds the exception a remote service raised, from the problem it sent back. */
    public static LatticeException fromProblem(Problem problem) {
        return new LatticeException(problem.code(), problem.status(), problem.detail());
    }

    public Problem toProblem() {
        return Problem.of(status, code, getMessage());
    }
}
