package dev.lattice.api.sensors;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * A command sent to a controller instance, kind {@code controller-command} keyed by its id,
 * with its delivery status: sent → delivered → acknowledged, or failed.
 */
public record ControllerCommand(String commandId, String controller, String command, ObjectNode params,
                                Status status, Instant sentAt, Instant updatedAt, String sentBy, String detail) {
    public static final String KIND = "controller-command";

    public enum Status {
        SENT, DELIVERED, ACKNOWLEDGED, FAILED;

        @JsonValue
        public String wireName() {
            return name().toLowerCase();
        }

        @JsonCreator
        public static Status parse(String s) {
            return valueOf(s.toUpperCase());
        }

        public boolean isFinal() {
            return this == ACKNOWLEDGED || this == FAILED;
        }
    }

    public ControllerCommand with(Status next, Instant at, String why) {
        return new ControllerCommand(commandId, controller, command, params, next, sentAt, at, sentBy, why);
    }
}
