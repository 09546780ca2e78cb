package dev.lattice.cli;

import dev.lattice.cli.client.ClientException;
import dev.lattice.cli.client.Nouns;
import java.util.Map;
import picocli.AutoComplete;
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
        System.exit(commandLine(System.getenv()).execute(args));
    }

    /** The whole command tree: running the platform ({@code up}, {@code agent}, ...) and the API client ({@code NOUN VERB}, {@code login}). */
    public static CommandLine commandLine(Map<String, String> env) {
        CommandLine top = new CommandLine(new Lattice()).setCaseInsensitiveEnumValuesAllowed(true);
        Nouns.addTo(top, env);
        top.addSubcommand("completion", new CommandLine(new AutoComplete.GenerateCompletion()));
        // The API client's failures are expected outcomes, not bugs: one line on stderr and the documented
        // exit status (1 refused, 2 usage, 3 unreachable), never a stack trace.
        top.setExecutionExceptionHandler((e, cl, parsed) -> {
            if (!(e instanceof ClientException failure)) throw e;
            cl.getErr().println("lattice: " + failure.getMessage());
            return failure.exitCode();
        });
        return top;
    }
}
