package dev.lattice.cli;

/**
 * What this module's test classes share on the machine, named for {@code @ResourceLock}: the failsafe
 * run executes two classes at once (cli/pom.xml), and two classes holding the same name never overlap.
 */
final class ITResources {
    private ITResources() {}

    /**
     * The local Docker engine: an agent of the docker runtime removes the containers labelled with its
     * node's name that it does not know, and every test platform calls its nodes n1, n2, ...
     */
    static final String DOCKER = "docker-engine";

    /** MQTT's default port 1883, which a platform started without {@code --mqtt-port} takes. */
    static final String MQTT_DEFAULT_PORT = "mqtt-port-1883";

    /** Model servers of a model named {@code fresh}, which ModelScenarios finds among all of the machine's processes. */
    static final String MODEL_FRESH = "processes-model-fresh";

    /** Model servers of a model named {@code iris}, which IsolationIT finds among all of the machine's processes. */
    static final String MODEL_IRIS = "processes-model-iris";

    /** The {@code sleep 3601} and {@code sleep 3602} workloads NodeScenarios finds among all of the machine's processes. */
    static final String SLEEPERS = "processes-sleep-360x";

    /**
     * The machine's CPU, as NodeScenarios measures it (a burner must show as a node's load) and as
     * ContractsIT spends it (Python workers, 500 calls in a row): CI once saw the burner unmeasurable beside it.
     */
    static final String CPU_MEASURED = "cpu-measured";
}
