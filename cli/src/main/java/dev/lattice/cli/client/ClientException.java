package dev.lattice.cli.client;

/**
 * A CLI failure with its exit status (API.md "CLI"): 1 the API refused (the message is the problem's
 * detail), 2 a usage error, 3 the platform cannot be reached.
 */
public final class ClientException extends RuntimeException {
    public static final int REFUSED = 1;
    public static final int USAGE = 2;
    public static final int UNREACHABLE = 3;
    private static final long serialVersionUID = 1L;
    private final int exitCode;

    public ClientException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
