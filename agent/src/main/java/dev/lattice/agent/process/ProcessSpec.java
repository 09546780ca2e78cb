package dev.lattice.agent.process;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** What to run: a name (for logs and reports), the command line, extra environment and the log file. */
public record ProcessSpec(String name, List<String> command, Map<String, String> env, Path logFile) {
    public ProcessSpec {
        command = List.copyOf(command);
        env = Map.copyOf(env);
    }
}
