package dev.lattice.agent.supervision;

import java.io.File;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One of the platform's own processes as {@code lattice up} runs it (a node agent): a child
 * process of this JVM with its environment plus the spec's, its output appended to the spec's log
 * file. Unlike a workload it has no sandbox and no runtime: up must start the agents before any
 * runtime exists.
 *
 * <p>Children get their own session ({@code setsid}), so a Ctrl-C at the terminal reaches only
 * the platform's root process, which then stops them in order.
 */
public final class ServiceProcess implements Supervised<Supervised.Run> {
    private static final Logger log = LoggerFactory.getLogger(ServiceProcess.class);
    private static final boolean HAS_SETSID = Files.isExecutable(Path.of("/usr/bin/setsid"));

    private final ProcessSpec spec;

    public ServiceProcess(ProcessSpec spec) {
        this.spec = spec;
    }

    /** Starts keeping {@code spec} running. */
    public static Supervisor<Supervised.Run> supervisor(ProcessSpec spec, Backoff backoff, Clock clock,
                                                        Supervisor.Listener<? super Supervised.Run> listener) {
        return new Supervisor<>(new ServiceProcess(spec), backoff, clock, 0, listener).start();
    }

    public ProcessSpec spec() {
        return spec;
    }

    @Override
    public String name() {
        return spec.name();
    }

    @Override
    public Run start() throws IOException {
        List<String> command = new ArrayList<>();
        if (HAS_SETSID) command.add("/usr/bin/setsid");
        command.addAll(spec.command());
        Files.createDirectories(spec.logFile().getParent());
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(Redirect.appendTo(spec.logFile().toFile()))
                .redirectInput(Redirect.from(new File("/dev/null")));
        pb.environment().putAll(spec.env());
        return new ChildRun(spec.name(), pb.start());
    }

    /** A child process; the exit code of one killed by a signal is 128 + the signal, as a shell says. */
    private static final class ChildRun implements Run {
        private final String name;
        private final Process process;
        /** One future, made at once: a new {@code onExit()} asked after the end completes only a moment later. */
        private final CompletableFuture<Integer> exit;

        ChildRun(String name, Process process) {
            this.name = name;
            this.process = process;
            this.exit = process.onExit().thenApply(Process::exitValue);
        }

        @Override
        public long pid() {
            return process.pid();
        }

        @Override
        public CompletableFuture<Integer> exit() {
            return exit;
        }

        /** SIGTERM, SIGKILL after {@code grace}; then whatever it forked and left is killed too. */
        @Override
        public void stop(Duration grace) {
            if (!process.isAlive()) return;
            List<ProcessHandle> descendants = process.descendants().toList();
            process.destroy();
            try {
                if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                    log.warn("{} did not stop within {} s; killing it", name, grace.toSeconds());
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
            descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        }
    }
}
