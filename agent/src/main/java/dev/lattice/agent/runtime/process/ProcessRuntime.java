package dev.lattice.agent.runtime.process;

import dev.lattice.agent.runtime.Launch;
import dev.lattice.agent.runtime.RunningWorkload;
import dev.lattice.agent.runtime.WorkloadRuntime;
import dev.lattice.agent.runtime.sandbox.Bubblewrap;
import dev.lattice.agent.runtime.sandbox.SandboxSupport;
import dev.lattice.agent.runtime.sandbox.WorkloadCgroup;
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
 *
 * <p>A user's workload (a launch with a {@link dev.lattice.agent.runtime.Sandbox}) is confined:
 * it joins a cgroup of its own before anything of it runs (a two-line shell wrapper writes its pid
 * to each {@code cgroup.procs}, then execs), then runs under bubblewrap and setpriv
 * ({@link Bubblewrap}). On a host that cannot confine it, it is refused, saying what to install.
 */
public final class ProcessRuntime implements WorkloadRuntime {
    private static final boolean HAS_SETSID = Files.isExecutable(Path.of("/usr/bin/setsid"));
    private static final List<String> PASSED_ON = List.of("PATH", "HOME", "LANG", "LC_ALL", "TZ", "TMPDIR");
    /** Joins the cgroups named before "--", then becomes the command after it. */
    private static final String JOIN = "while [ \"$1\" != -- ]; do echo $$ > \"$1\" || exit 125; shift; done; shift; exec \"$@\"";

    private final SandboxSupport support;
    private final List<Path> readOnly;

    /** A runtime that confines user workloads with what {@code support} found; {@code readOnly}: the JDK and Lattice's jars. */
    public ProcessRuntime(SandboxSupport support, List<Path> readOnly) {
        this.support = support;
        this.readOnly = List.copyOf(readOnly);
    }

    /** For platform services only: a user workload (one with a sandbox) is refused. */
    public ProcessRuntime() {
        this(new SandboxSupport(Optional.empty(), List.of("a sandbox (this runtime was made without one)")), List.of());
    }

    public SandboxSupport support() {
        return support;
    }

    @Override
    public String sandbox() {
        return support.describe();
    }

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
        Files.createDirectories(launch.workDir());
        WorkloadCgroup cgroup = null;
        List<String> command = new ArrayList<>();
        if (launch.sandbox() != null) {
            if (!support.available())
                throw new IOException("this node cannot sandbox workloads: it needs " + String.join(", ", support.missing())
                        + " (or start it with --insecure-workloads, which runs user code unconfined)");
            cgroup = support.cgroups().orElseThrow().create(cgroupName(launch), launch.sandbox());
            command.addAll(List.of("/bin/sh", "-c", JOIN, "lattice-join"));
            cgroup.procsFiles().forEach(f -> command.add(f.toString()));
            command.add("--");
        }
        if (HAS_SETSID) command.add("/usr/bin/setsid");
        if (launch.sandbox() == null) command.addAll(launch.spec().command());
        else {
            Path folder = launch.sandbox().folder() != null ? launch.sandbox().folder() : launch.workDir();
            command.addAll(Bubblewrap.wrap(launch.sandbox(), folder, launch.workDir(), readOnly, launch.spec().command()));
        }
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
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            if (cgroup != null) cgroup.delete();
            throw e;
        }
        return new ProcessRun(p.toHandle(), p.onExit().thenApply(Process::exitValue), HAS_SETSID, cgroup);
    }

    @Override
    public Optional<RunningWorkload> adopt(Launch launch, String handle) {
        WorkloadCgroup cgroup = launch.sandbox() == null ? null : support.cgroups().map(c -> c.existing(cgroupName(launch))).orElse(null);
        return ProcessRun.parse(handle).filter(ProcessHandle::isAlive)
                .map(h -> new ProcessRun(h, h.onExit().thenApply(x -> -1), HAS_SETSID, cgroup));
    }

    /** Unique on the host: several nodes (and platforms) may share one machine. */
    private static String cgroupName(Launch launch) {
        return (launch.node() + "-" + launch.id()).replaceAll("[^A-Za-z0-9_.-]", "_");
    }

    /** The handle of a live process: its pid and start time, so that a recycled pid is never taken for it. */
    static String handleOf(ProcessHandle h) {
        long started = h.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
        return "pid:" + h.pid() + ":" + started;
    }
}
