package dev.lattice.agent.supervision;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** A {@link ServiceProcess}: a name (for logs and reports), the command line, extra environment and the log file. */
public record ProcessSpec(String name, List<String> command, Map<String, String> env, Path logFile) {
    public ProcessSpec {
        command = List.copyOf(command);
        env = Map.copyOf(env);
    }
}
