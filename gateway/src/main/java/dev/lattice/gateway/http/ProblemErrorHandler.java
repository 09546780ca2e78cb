package dev.lattice.gateway.http;

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
 * Jetty's own error pages as problem+json: what Jetty rejects before any route runs (a malformed
 * URI, oversized headers) and whatever escapes the route handlers. The message is Jetty's reason
 * phrase, never a stack trace.
 */
final class ProblemErrorHandler extends ErrorHandler {

    ProblemErrorHandler() {
        setShowStacks(false);
        setShowServlet(false);
    }

    @Override
    public void handle(String target, Request baseRequest, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        int status = response.getStatus() < 400 ? 500 : response.getStatus();
        Object message = request.getAttribute(RequestDispatcher.ERROR_MESSAGE);
        String detail = status >= 500 ? "the gateway failed on this request; its log has the details"
                : message == null ? "the request was rejected" : message.toString();
        byte[] body = Json.bytes(Problem.of(status, "http:" + status, detail).withInstance(request.getRequestURI()));
        response.setContentType(Api.PROBLEM_JSON + ";charset=utf-8");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
        baseRequest.setHandled(true);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, Api.PROBLEM_JSON + ";charset=utf-8");
        return ByteBuffer.wrap(Json.bytes(Problem.of(status, "http:" + status, reason == null ? "bad request" : reason)));
    }
}
