package dev.lattice.bus.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lattice.core.Principal;
import dev.lattice.core.Problem;
import java.time.Instant;

/**
 * What travels on request and reply topics. A request has a {@code type} (a verb-noun command
 * such as {@code create-user}), a {@code replyTo} topic, a {@code deadline} and the
 * {@code principal} it acts for; a reply carries the request's {@code correlationId} and either a
 * {@code payload} or an {@code error}. A request to a service that verifies whom it acts for (auth)
 * also carries the user's own {@code credential} (the bearer token or API key the gateway was
 * shown), so that whoever can write the request topic still cannot make it act for someone else.
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
        Instant sentAt,
        @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
        String credential) {

    static Envelope reply(Envelope request, JsonNode payload, Problem error, Instant now) {
        return new Envelope(java.util.UUID.randomUUID().toString(), request.id(), request.type() + "-response",
                null, null, null, payload, error, now, null);
    }

    /** Never the credential: envelopes end up in logs and assertion messages. */
    @Override
    public String toString() {
        return "Envelope[id=" + id + ", type=" + type + ", principal=" + principal + (credential == null ? "" : ", credential=(set)") + "]";
    }
}
