package dev.lattice.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code lattice} command. {@code ./lattice} at the repository root builds and runs it. */
@Command(name = "lattice", mixinStandardHelpOptions = true, version = "lattice 0.1.0",
        description = "Lattice: a platform for IoT applications and ML models.",
        subcommands = {UpCommand.class, AgentCommand.class, ServiceCommand.class, CheckKafkaCommand.class})
public final class Lattice {
    public static void main(String[] args) {
        // Our logging setup by name: some dependencies (HiveMQ) ship a logback.xml of their own.
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "lattice-logback.xml");
        }
        int code = new CommandLine(new Lattice())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .execute(args);
        System.exit(code);
    }
}
