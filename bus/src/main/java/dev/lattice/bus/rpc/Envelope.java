package dev.lattice.bus.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lattice.core.Principal;
import dev.lattice.core.Problem;
import java.time.Instant;

/**
 * What travels on request and reply topics. A request has a {@code type} (a verb-noun command
 * such as {@code create-user}), a {@code replyTo} topic, a {@code deadline} and the
 * {@code principal} it acts for; a reply carries the request's {@code correlationId} and either a
 * {@code payload} or an {@code error}.
 */
public record Envelope(
        String id,
        String correlationId,
        String type,
        String replyTo,
        Instant deadline,
        Principal principal,
        JsonNode payload,
        Problem error,
        Instant sentAt) {

    static Envelope reply(Envelope request, JsonNode payload, Problem error, Instant now) {
        return new Envelope(java.util.UUID.randomUUID().toString(), request.id(), request.type() + "-response",
                null, null, null, payload, error, now);
    }
}
