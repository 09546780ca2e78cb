package dev.lattice.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Hosts simulated on this machine: one network namespace each, with its own address on a private
 * /24, linked through a bridge in the root namespace (which has the .254 address, so the test
 * reaches every host). A host's link can be cut and restored. Needs root, {@code ip}, {@code nsenter}
 * and {@code iptables} (a running dockerd sets the FORWARD policy to DROP; a rule lets the bridge
 * forward between hosts, removed on close). Processes are started in a host with {@link #prefix}
 * ({@code nsenter --net}, not {@code ip netns exec}, which remounts {@code /sys} and hides cgroup limits).
 */
final class Hosts implements AutoCloseable {
    private final int subnet;
    private final int count;
    private final String bridge;
    private boolean forwardRule;

    private Hosts(int subnet, int count) {
        this.subnet = subnet;
        this.count = count;
        this.bridge = "ltb" + subnet;
    }

    /** Why this machine cannot simulate hosts, or null when it can. */
    static String missing() {
        if (!"root".equals(System.getProperty("user.name"))) return "root";
        for (String tool : List.of("ip", "nsenter", "iptables")) {
            if (!onPath(tool)) return tool;
        }
        return null;
    }

    /** {@code count} hosts, 1..count, at 10.77.N.1..count for a random N. */
    static Hosts create(int count) throws IOException, InterruptedException {
        Hosts h = new Hosts(ThreadLocalRandom.current().nextInt(1, 250), count);
        try {
            h.run("ip", "link", "add", h.bridge, "type", "bridge");
            h.run("ip", "addr", "add", h.prefixOf(254) + "/24", "dev", h.bridge);
            h.run("ip", "link", "set", h.bridge, "up");
            h.run("iptables", "-I", "FORWARD", "-i", h.bridge, "-o", h.bridge, "-j", "ACCEPT");
            h.forwardRule = true;
            for (int i = 1; i <= count; i++) {
                String ns = h.namespace(i);
                h.run("ip", "netns", "add", ns);
                h.run("ip", "link", "add", h.veth(i), "type", "veth", "peer", "name", "eth0", "netns", ns);
                h.run("ip", "link", "set", h.veth(i), "master", h.bridge, "up");
                h.run("ip", "-n", ns, "addr", "add", h.address(i) + "/24", "dev", "eth0");
                h.run("ip", "-n", ns, "link", "set", "eth0", "up");
                h.run("ip", "-n", ns, "link", "set", "lo", "up");
            }
            return h;
        } catch (IOException | InterruptedException | RuntimeException e) {
            h.close();
            throw e;
        }
    }

    String address(int host) {
        return prefixOf(host);
    }

    /** What starts a command in {@code host}'s network. */
    List<String> prefix(int host) {
        return List.of("nsenter", "--net=/run/netns/" + namespace(host), "--");
    }

    /** Cuts {@code host} off the network (its processes keep running). */
    void cut(int host) throws IOException, InterruptedException {
        run("ip", "link", "set", veth(host), "down");
    }

    void restore(int host) throws IOException, InterruptedException {
        run("ip", "link", "set", veth(host), "up");
    }

    /** The pids of every process in {@code host}'s network namespace. */
    List<Long> pids(int host) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("ip", "netns", "pids", namespace(host)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor(10, TimeUnit.SECONDS);
        List<Long> pids = new ArrayList<>();
        for (String line : out.split("\\s+")) if (line.matches("\\d+")) pids.add(Long.parseLong(line));
        return pids;
    }

    private String prefixOf(int host) {
        return "10.77." + subnet + "." + host;
    }

    private String namespace(int host) {
        return "lt" + subnet + "h" + host;
    }

    private String veth(int host) {
        return "lt" + subnet + "v" + host;
    }

    /** Kills what still runs in the hosts, then removes them, the bridge and the forwarding rule. */
    @Override
    public void close() {
        for (int i = 1; i <= count; i++) {
            try {
                for (long pid : pids(i)) ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            } catch (IOException | InterruptedException ignored) {
                // best effort
            }
            quietly("ip", "netns", "del", namespace(i));
            quietly("ip", "link", "del", veth(i));
        }
        quietly("ip", "link", "del", bridge);
        if (forwardRule) quietly("iptables", "-D", "FORWARD", "-i", bridge, "-o", bridge, "-j", "ACCEPT");
    }

    private void run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out.strip());
        }
    }

    private void quietly(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            p.waitFor(30, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException ignored) {
            // best effort on teardown
        }
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) return true;
        }
        return Files.isExecutable(Path.of("/usr/sbin", tool)) || Files.isExecutable(Path.of("/sbin", tool));
    }
}
