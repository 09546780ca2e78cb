package dev.lattice.cli;

/** Issue 4's acceptance on the process runtime (the default of {@code lattice up}). */
class NodesIT extends NodeScenarios {
    @Override
    String runtime() {
        return "process";
    }
}
