package dev.lattice.sensors.control;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** The way commands reach devices (MQTT in the platform); completes true once a device has received it. */
@FunctionalInterface
public interface CommandChannel {
    CompletableFuture<Boolean> deliver(String controllerId, byte[] payload, Duration timeout);
}
