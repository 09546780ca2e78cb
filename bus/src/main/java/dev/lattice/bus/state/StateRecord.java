package dev.lattice.bus.state;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** The JSON form of a {@link Versioned} on a state topic, with the value left untyped. */
record StateRecord(String kind, String name, long version, Instant updatedAt, String updatedBy, JsonNode value) {
}
