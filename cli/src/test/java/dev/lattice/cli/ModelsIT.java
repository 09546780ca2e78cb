package dev.lattice.cli;

/** Issue 5's acceptance with the process runtime: model servers are processes under the agents. */
class ModelsIT extends ModelScenarios {
    @Override
    String runtime() {
        return "process";
    }
}
