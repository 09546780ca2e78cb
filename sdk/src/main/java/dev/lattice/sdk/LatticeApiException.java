package dev.lattice.sdk;

/**
 * The gateway answered a call with an error: an HTTP status outside 2xx and, in its body, an
 * RFC 9457 problem ({@code application/problem+json}) whose {@code title}, {@code detail} and
 * Lattice's stable {@code code} are carried here. When the body is not a problem (a proxy's error
 * page, say), the title is the status's usual phrase and the detail the start of the body.
 *
 * <p>Typical causes: 400 a bad request (the detail names the field), 401 an expired or revoked
 * token, 403 a sensor, controller or model this instance is not bound to, 404 an unknown id or
 * model, 503 something not ready yet (a model with no ready replica). {@link #isRetriable()}
 * says whether the same call may succeed later without any change. Immutable.
 */
public final class LatticeApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String request;
    private final int status;
    private final String title;
    private final String detail;
    private final String code;

    /**
     * @param request what was asked, such as {@code "POST /api/v1/models/anomaly/predict"}
     * @param status  the HTTP status
     * @param title   the problem's title
     * @param detail  the problem's detail, or an empty string
     * @param code    Lattice's stable error code, such as {@code "models:not-ready"}, or null if none was given
     */
    public LatticeApiException(String request, int status, String title, String detail, String code) {
        super(request + " -> " + status + " " + title + (detail == null || detail.isEmpty() ? "" : ": " + detail)
                + (code == null ? "" : " [" + code + "]"));
        this.request = request;
        this.status = status;
        this.title = title;
        this.detail = detail == null ? "" : detail;
        this.code = code;
    }

    /** What was asked: method and path, such as {@code "GET /api/v1/sensor-instances/s-1/readings"}. */
    public String request() {
        return request;
    }

    /** The HTTP status of the answer. */
    public int status() {
        return status;
    }

    /** The problem's title, such as {@code "Forbidden"}. */
    public String title() {
        return title;
    }

    /** The problem's detail (what went wrong, in words); empty if the answer gave none. */
    public String detail() {
        return detail;
    }

    /** Lattice's stable error code, such as {@code "models:not-ready"}; null if the answer gave none. */
    public String code() {
        return code;
    }

    /** True for answers that say "not now" rather than "not this": 408, 429, 502, 503 and 504. */
    public boolean isRetriable() {
        return status == 408 || status == 429 || status == 502 || status == 503 || status == 504;
    }
}
