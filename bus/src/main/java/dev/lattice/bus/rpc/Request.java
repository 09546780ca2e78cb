package dev.lattice.bus.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lattice.core.Json;
import dev.lattice.core.Principal;
import dev.lattice.core.Role;
import java.time.Instant;

/** A request as a handler sees it: the command type, who sent it, its payload and its deadline. */
public record Request(String type, Principal principal, JsonNode payload, Instant deadline) {

    /** The payload as a record; bad input becomes a 400 naming the field. */
    public <T> T payload(Class<T> type) {
        return Json.convert(payload, type);
    }

    /** Re-checks the caller's role in the service itself (defence in depth behind the gateway). */
    public void require(Role... roles) {
        principal.require(roles);
    }
}
