package dev.lattice.agent.runtime.process;

import dev.lattice.agent.runtime.Launch;
import dev.lattice.agent.runtime.RunningWorkload;
import dev.lattice.agent.runtime.WorkloadRuntime;
import dev.lattice.workloads.WorkloadSpec;
import java.io.File;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs workloads as child processes of the agent, each in its own session and process group
 * ({@code setsid}), so the agent can signal a workload and everything it forked at once, and a
 * Ctrl-C at the terminal does not reach workloads directly.
 *
 * <p>A workload does not inherit the agent's environment: the agent holds the Kafka credentials,
 * which a user's workload must not read. It gets a plain {@code PATH}, {@code HOME}, {@code LANG}
 * and what its {@link Launch} gives it.
 */
public final class ProcessRuntime implements WorkloadRuntime {
    private static final boolean HAS_SETSID = Files.isExecutable(Path.of("/usr/bin/setsid"));
    private static final List<String> PASSED_ON = List.of("PATH", "HOME", "LANG", "LC_ALL", "TZ", "TMPDIR");

    @Override
    public String name() {
        return "process";
    }

    @Override
    public Optional<String> refuses(WorkloadSpec spec) {
        return spec.needsDocker() ? Optional.of("image '" + spec.image() + "' needs a docker node") : Optional.empty();
    }

    @Override
    public RunningWorkload start(Launch launch) throws IOException {
        Optional<String> refusal = refuses(launch.spec());
        if (refusal.isPresent()) throw new IOException(refusal.get());
        List<String> command = new ArrayList<>();
        if (HAS_SETSID) command.add("/usr/bin/setsid");
        command.addAll(launch.spec().command());
        Files.createDirectories(launch.workDir());
        Files.createDirectories(launch.logFile().getParent());
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(launch.workDir().toFile())
                .redirectErrorStream(true)
                .redirectOutput(Redirect.appendTo(launch.logFile().toFile()))
                .redirectInput(Redirect.from(new File("/dev/null")));
        Map<String, String> env = pb.environment();
        Map<String, String> inherited = Map.copyOf(env);
        env.clear();
        for (String name : PASSED_ON) if (inherited.containsKey(name)) env.put(name, inherited.get(name));
        env.putAll(launch.env());
        Process p = pb.start();
        return new ProcessRun(p.toHandle(), p.onExit().thenApply(Process::exitValue), HAS_SETSID);
    }

    @Override
    public Optional<RunningWorkload> adopt(Launch launch, String handle) {
        return ProcessRun.parse(handle).filter(ProcessHandle::isAlive)
                .map(h -> new ProcessRun(h, h.onExit().thenApply(x -> -1), HAS_SETSID));
    }

    /** The handle of a live process: its pid and start time, so that a recycled pid is never taken for it. */
    static String handleOf(ProcessHandle h) {
        long started = h.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
        return "pid:" + h.pid() + ":" + started;
    }
}
