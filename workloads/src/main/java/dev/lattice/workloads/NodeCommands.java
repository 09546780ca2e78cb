package dev.lattice.workloads;

import dev.lattice.core.Names;

/** The commands the node manager answers on {@code lattice.requests.nodes}. */
public final class NodeCommands {
    public static final String SERVICE = "nodes";
    public static final String DRAIN = "drain-node";
    public static final String UNDRAIN = "undrain-node";

    private NodeCommands() {}

    public record NodeName(String name) {
        public NodeName {
            Names.requireName("name", name);
        }
    }
}
