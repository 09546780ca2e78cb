package dev.lattice.http;

import dev.lattice.core.Json;
import dev.lattice.core.Problem;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;

/**
 * Jetty's own error pages as RFC 9457 problem+json: what Jetty rejects before any route runs (a
 * malformed URI, oversized headers, a request refused while stopping) and whatever escapes the
 * route handlers. The detail is Jetty's reason phrase, never a stack trace; a server failure says
 * only that the server's log has the details. Install with
 * {@code cfg.jetty.modifyServer(s -> s.setErrorHandler(new ProblemPages("the gateway")))}.
 */
public final class ProblemPages extends ErrorHandler {
    public static final String PROBLEM_JSON = "application/problem+json;charset=utf-8";

    private final String server;

    /** @param server how the server names itself in a 5xx detail, e.g. "the gateway" */
    public ProblemPages(String server) {
        this.server = server;
        setShowStacks(false);
        setShowServlet(false);
    }

    @Override
    public void handle(String target, Request baseRequest, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        int status = response.getStatus() < 400 ? 500 : response.getStatus();
        Object message = request.getAttribute(RequestDispatcher.ERROR_MESSAGE);
        // 503 (stopping) is not a failure of the server: its reason says what happened.
        String detail = status >= 500 && status != 503 ? server + " failed on this request; its log has the details"
                : message == null ? "the request was rejected" : message.toString();
        byte[] body = Json.bytes(Problem.of(status, "http:" + status, detail).withInstance(request.getRequestURI()));
        response.setContentType(PROBLEM_JSON);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
        baseRequest.setHandled(true);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, PROBLEM_JSON);
        return ByteBuffer.wrap(Json.bytes(Problem.of(status, "http:" + status, reason == null ? "bad request" : reason)));
    }
}
