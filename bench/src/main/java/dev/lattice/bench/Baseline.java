package dev.lattice.bench;

import java.io.File;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The floor under the platform's deploy latency, measured in the same run: the same command
 * started directly, as the node's runtime would start it, with nothing in between (no API, no
 * Kafka, no deployer, no agent, no polling).
 */
final class Baseline {
    /** The image the docker runtime runs command workloads in (agent's {@code RuntimeImage.TAG}). */
    static final String RUNTIME_IMAGE = "lattice-runtime:1";
    static final String LABEL = "lattice.bench";

    private Baseline() {}

    /**
     * {@code n} starts of {@code command} through ProcessBuilder as the process runtime does it
     * ({@code setsid}, clean environment, output appended to a file, stdin from /dev/null), one
     * every {@code pace}; each timed until {@code start()} returns, i.e. the exec has succeeded.
     * The processes are killed afterwards. Returns the latencies in microseconds.
     */
    static long[] process(List<String> command, int n, Duration pace, Path logDir) throws Exception {
        long[] micros = new long[n];
        List<Process> started = new ArrayList<>();
        File log = logDir.resolve("baseline.log").toFile();
        try {
            for (int i = 0; i < n; i++) {
                List<String> cmd = new ArrayList<>();
                cmd.add("/usr/bin/setsid");
                cmd.addAll(command);
                ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(Redirect.appendTo(log))
                        .redirectInput(Redirect.from(new File("/dev/null")));
                Map<String, String> env = pb.environment();
                String path = env.get("PATH");
                env.clear();
                env.put("PATH", path);
                env.put("LATTICE_WORKLOAD_ID", "baseline-" + i);
                long t0 = System.nanoTime();
                started.add(pb.start());
                micros[i] = (System.nanoTime() - t0) / 1000;
                Thread.sleep(pace.toMillis());
            }
        } finally {
            for (Process p : started) p.destroyForcibly();
            for (Process p : started) p.waitFor(5, TimeUnit.SECONDS);
        }
        return micros;
    }

    /**
     * {@code n} runs of {@code docker run --rm -d --init --network host IMAGE command} (what the
     * docker runtime asks of the engine, minus the mounts and limits), one every {@code pace}, each
     * timed until the CLI returns (the container is started). Null when docker or the runtime
     * image is missing.
     */
    static long[] docker(List<String> command, int n, Duration pace, String tag) throws Exception {
        if (run(List.of("docker", "image", "inspect", RUNTIME_IMAGE)).exit != 0) return null;
        long[] micros = new long[n];
        List<String> ids = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                List<String> cmd = new ArrayList<>(List.of("docker", "run", "--rm", "-d", "--init", "--network", "host",
                        "--label", LABEL + "=" + tag, RUNTIME_IMAGE));
                cmd.addAll(command);
                long t0 = System.nanoTime();
                Result r = run(cmd);
                micros[i] = (System.nanoTime() - t0) / 1000;
                if (r.exit != 0) throw new IllegalStateException("docker run failed: " + r.out);
                ids.add(r.out.strip());
                Thread.sleep(pace.toMillis());
            }
        } finally {
            removeContainers(tag);
        }
        return micros;
    }

    /** Removes the baseline containers of this run ({@code --label lattice.bench=TAG}); harmless without docker. */
    static void removeContainers(String tag) {
        try {
            Result ps = run(List.of("docker", "ps", "-aq", "--filter", "label=" + LABEL + "=" + tag));
            if (ps.exit != 0 || ps.out.isBlank()) return;
            List<String> cmd = new ArrayList<>(List.of("docker", "rm", "-f"));
            cmd.addAll(List.of(ps.out.strip().split("\\s+")));
            run(cmd);
        } catch (Exception e) {
            // no docker here: nothing was started either
        }
    }

    /**
     * Force-removes containers whose command mentions {@code tag} (the docker runtime's workloads
     * of this run, should the platform leave any); returns a line saying what they were (state and
     * node, a few names), or null when there were none or there is no docker.
     */
    static String removeWorkloadContainers(String tag) {
        try {
            List<String[]> left = containersOf(tag);
            if (left.isEmpty()) return null;
            List<String> cmd = new ArrayList<>(List.of("docker", "rm", "-f"));
            left.forEach(c -> cmd.add(c[0]));
            run(cmd);
            return describe(left);
        } catch (Exception e) {
            return null;
        }
    }

    /** Containers (any state) whose command mentions {@code tag}, each {id, name, state, status}; empty without docker. */
    static List<String[]> containersOf(String tag) throws IOException, InterruptedException {
        Result ps = run(List.of("docker", "ps", "-a", "--no-trunc", "--format", "{{.ID}}|{{.Names}}|{{.State}}|{{.Status}}|{{.Command}}"));
        if (ps.exit != 0) return List.of();
        return ps.out.lines().filter(l -> l.contains(tag)).map(l -> l.split("\\|", 5)).toList();
    }

    /** "N container(s) {state on node=count}, e.g. [name (status), ...]". */
    static String describe(List<String[]> containers) {
        var byState = containers.stream().collect(java.util.stream.Collectors.groupingBy(
                c -> c[2] + " on " + c[1].replaceFirst("^lattice-(n\\d+)-.*", "$1"), java.util.TreeMap::new, java.util.stream.Collectors.counting()));
        return containers.size() + " container(s) " + byState + ", e.g. " + containers.stream().limit(3).map(c -> c[1] + " (" + c[3] + ")").toList();
    }

    static boolean dockerPresent() {
        try {
            return run(List.of("docker", "version", "--format", "{{.Server.Version}}")).exit == 0;
        } catch (Exception e) {
            return false;
        }
    }

    record Result(int exit, String out) {}

    static Result run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Result(-1, out);
        }
        return new Result(p.exitValue(), out);
    }
}
