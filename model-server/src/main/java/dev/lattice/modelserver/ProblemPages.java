package dev.lattice.modelserver;

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
 * Jetty's own error pages (a malformed URI, oversized headers, a request refused while stopping)
 * as problem+json, never a stack trace. Like the gateway's and the repository's, which are
 * private to those modules.
 */
final class ProblemPages extends ErrorHandler {

    ProblemPages() {
        setShowStacks(false);
        setShowServlet(false);
    }

    @Override
    public void handle(String target, Request baseRequest, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        int status = response.getStatus() < 400 ? 500 : response.getStatus();
        Object message = request.getAttribute(RequestDispatcher.ERROR_MESSAGE);
        String detail = status >= 500 && status != 503 ? "the model server failed on this request; its log has the details"
                : message == null ? "the request was rejected" : message.toString();
        byte[] body = Json.bytes(Problem.of(status, "http:" + status, detail).withInstance(request.getRequestURI()));
        response.setContentType(ModelServer.PROBLEM_JSON);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
        baseRequest.setHandled(true);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, ModelServer.PROBLEM_JSON);
        return ByteBuffer.wrap(Json.bytes(Problem.of(status, "http:" + status, reason == null ? "bad request" : reason)));
    }
}
