package dev.lattice.bus.heartbeat;

import java.time.Instant;

/**
 * One liveness report about one service instance, keyed on {@code lattice.heartbeats} by instance.
 * A process sends its own (STARTING, then UP, STOPPING at a clean exit); its supervising agent
 * sends DOWN the moment the process dies, so the monitor need not wait for silence.
 */
public record Heartbeat(String service, String instance, String node, long pid, Status status,
                        Instant startedAt, Instant ts) {

    public enum Status { STARTING, UP, STOPPING, DOWN }
}
