package dev.lattice.bus.rpc;

/**
 * Handles one command type; returns the reply payload (any value Jackson can write, or null).
 * Throwing a {@link dev.lattice.core.LatticeException} sends that problem back to the caller.
 */
@FunctionalInterface
public interface Handler {
    Object handle(Request request) throws Exception;
}
