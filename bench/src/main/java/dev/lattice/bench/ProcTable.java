package dev.lattice.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The machine's process table, read from {@code /proc} as an operator would with {@code ps}: the
 * benchmark finds a workload's process by its command line and its node by the
 * {@code LATTICE_NODE} the agent put into its environment, never by asking the platform (which is
 * what is being measured). Works for the docker runtime too: a local engine's container
 * processes are ordinary host processes.
 */
final class ProcTable {
    /** A process running a workload's command, with what its environment says about it (null if unreadable). */
    record Proc(long pid, String node, String workload) {}

    private static final Path PROC = Path.of("/proc");

    private ProcTable() {}

    /** Every live process whose command line is exactly {@code command}. */
    static List<Proc> running(List<String> command) {
        List<Proc> out = new ArrayList<>();
        for (long pid : pids()) {
            if (!command.equals(cmdline(pid))) continue;
            Map<String, String> env = environ(pid);
            out.add(new Proc(pid, env.get("LATTICE_NODE"), env.get("LATTICE_WORKLOAD_ID")));
        }
        return out;
    }

    static int count(List<String> command) {
        int n = 0;
        for (long pid : pids()) if (command.equals(cmdline(pid))) n++;
        return n;
    }

    /** The first of {@code candidates} whose command line, joined by spaces, contains {@code fragment}. */
    static Optional<Long> find(String fragment, java.util.stream.Stream<ProcessHandle> candidates) {
        return candidates.map(ProcessHandle::pid).filter(pid -> {
            List<String> c = cmdline(pid);
            return c != null && (String.join(" ", c) + " ").contains(fragment);
        }).findFirst();
    }

    /** SIGKILL, as {@code kill -9} would send it: no exec of kill(1) between the clock and the signal. */
    static void kill9(long pid) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }

    /** {@code kill -SIG pids} (STOP and CONT, which Java cannot send); returns when the signals are sent. */
    static void signal(String sig, Collection<Long> pids) throws IOException, InterruptedException {
        if (pids.isEmpty()) return;
        List<String> cmd = new ArrayList<>(List.of("kill", "-" + sig));
        pids.forEach(p -> cmd.add(Long.toString(p)));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        p.waitFor();
    }

    /** Kills what is left of {@code command} (after a failed run); returns how many there were. */
    static int killAll(List<String> command) throws IOException, InterruptedException {
        List<Long> pids = running(command).stream().map(Proc::pid).toList();
        signal("CONT", pids); // a stopped process dies of SIGKILL too, but this keeps the order obvious
        pids.forEach(ProcTable::kill9);
        return pids.size();
    }

    /** CPU time (user + system) a process has used so far, in ms; 0 when it is gone. */
    static long cpuMillis(long pid) {
        try {
            String stat = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"));
            // Fields after the command name, which is in parentheses and may contain spaces; ticks are 1/100 s.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10;
        } catch (IOException | RuntimeException gone) {
            return 0;
        }
    }

    static List<Long> pids() {
        List<Long> out = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(PROC)) {
            for (Path p : dir) {
                String name = p.getFileName().toString();
                if (!name.isEmpty() && Character.isDigit(name.charAt(0))) out.add(Long.parseLong(name));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc", e);
        }
        return out;
    }

    /** The arguments, or null when the process is gone; empty for kernel threads and zombies. */
    static List<String> cmdline(long pid) {
        try {
            byte[] b = Files.readAllBytes(PROC.resolve(Long.toString(pid)).resolve("cmdline"));
            if (b.length == 0) return List.of();
            String s = new String(b, 0, b[b.length - 1] == 0 ? b.length - 1 : b.length, StandardCharsets.UTF_8);
            return Arrays.asList(s.split("\0", -1));
        } catch (IOException e) {
            return null;
        }
    }

    /** A process's environment (empty when it is gone or not ours to read). */
    static Map<String, String> environ(long pid) {
        Map<String, String> env = new HashMap<>();
        try {
            byte[] b = Files.readAllBytes(PROC.resolve(Long.toString(pid)).resolve("environ"));
            for (String kv : new String(b, StandardCharsets.UTF_8).split("\0")) {
                int eq = kv.indexOf('=');
                if (eq > 0) env.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
        } catch (IOException e) {
            // gone, or not ours to read (another user's container): no node then
        }
        return env;
    }
}
