package dev.lattice.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A remote Docker server for the tests: a second {@code dockerd} in one of the {@link Hosts}, with
 * nothing of Lattice on it, serving its API on {@code tcp://ADDRESS:2376} with mutual TLS only
 * (certificates made here with {@code openssl}: a CA, the server's for its address, a client's).
 * It runs in a mount namespace of its own with a tmpfs over {@code /run/containerd}, so that it
 * starts its own containerd instead of joining the machine's, and with its own data, exec root,
 * pid file, cgroup parent and containerd namespace, no bridge and no iptables rules. Needs root.
 */
final class RemoteDockerHost implements AutoCloseable {
    static final int PORT = 2376;
    private final Hosts hosts;
    private final int host;
    private final Path dir;
    private final String name;
    private Process dockerd;

    private RemoteDockerHost(Hosts hosts, int host, Path dir) {
        this.hosts = hosts;
        this.host = host;
        this.dir = dir;
        this.name = "lattice-remote-" + ProcessHandle.current().pid() + "-" + host;
    }

    /** Makes the certificates and starts the engine; returns once it answers on its TCP port. */
    static RemoteDockerHost start(Hosts hosts, int host, Path dir) throws IOException, InterruptedException {
        RemoteDockerHost d = new RemoteDockerHost(hosts, host, dir);
        Files.createDirectories(dir);
        d.certificates();
        d.startEngine();
        return d;
    }

    String url() {
        return "tcp://" + hosts.address(host) + ":" + PORT;
    }

    String ca() throws IOException {
        return Files.readString(dir.resolve("ca.pem"));
    }

    String cert() throws IOException {
        return Files.readString(dir.resolve("cert.pem"));
    }

    String key() throws IOException {
        return Files.readString(dir.resolve("key.pem"));
    }

    private void certificates() throws IOException, InterruptedException {
        String address = hosts.address(host);
        run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca-key.pem", "-out", "ca.pem", "-days", "2",
                "-subj", "/CN=lattice-test-ca");
        run("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server-key.pem", "-out", "server.csr", "-subj", "/CN=" + address);
        Files.writeString(dir.resolve("server.ext"), "subjectAltName=IP:" + address + "\nextendedKeyUsage=serverAuth\n");
        run("openssl", "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca-key.pem", "-CAcreateserial",
                "-out", "server-cert.pem", "-days", "2", "-extfile", "server.ext");
        run("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "key.pem", "-out", "client.csr", "-subj", "/CN=lattice");
        Files.writeString(dir.resolve("client.ext"), "extendedKeyUsage=clientAuth\n");
        run("openssl", "x509", "-req", "-in", "client.csr", "-CA", "ca.pem", "-CAkey", "ca-key.pem", "-CAcreateserial",
                "-out", "cert.pem", "-days", "2", "-extfile", "client.ext");
    }

    /** Starts (or starts again) the engine, and waits for its port. */
    void startEngine() throws IOException, InterruptedException {
        Files.writeString(dir.resolve("daemon.json"), "{}\n");
        String script = "mount -t tmpfs tmpfs /run/containerd && exec dockerd"
                + " --config-file " + dir.resolve("daemon.json")
                + " --data-root " + dir.resolve("data") + " --exec-root " + dir.resolve("exec") + " --pidfile " + dir.resolve("dockerd.pid")
                + " --cgroup-parent " + name + " --containerd-namespace " + name + " --containerd-plugins-namespace " + name + "-plugins"
                + " --bridge=none --iptables=false --ip-masq=false"
                + " -H " + url() + " --tlsverify --tlscacert " + dir.resolve("ca.pem") + " --tlscert " + dir.resolve("server-cert.pem")
                + " --tlskey " + dir.resolve("server-key.pem");
        List<String> cmd = new ArrayList<>(hosts.prefix(host));
        cmd.addAll(List.of("unshare", "--mount", "--propagation", "private", "sh", "-c", script));
        dockerd = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("dockerd.log").toFile())).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!answers()) {
            if (!dockerd.isAlive()) throw new IOException("dockerd ended: " + tail());
            if (System.nanoTime() > deadline) throw new IOException("dockerd does not listen on " + url() + " after 60 s: " + tail());
            Thread.sleep(200);
        }
    }

    /** Stops the engine as its machine's administrator would ({@code SIGTERM}: it stops its containers too). */
    void stopEngine() throws InterruptedException {
        if (dockerd == null) return;
        dockerd.toHandle().descendants().filter(h -> h.info().command().orElse("").endsWith("dockerd")).forEach(ProcessHandle::destroy);
        dockerd.destroy();
        dockerd.waitFor(30, TimeUnit.SECONDS);
    }

    /** What the engine says of its containers (for a failure's message): {@code docker ps}, and each one's top and last output. */
    String describe() {
        StringBuilder out = new StringBuilder();
        try {
            String ps = docker("ps", "-a", "--format", "{{.ID}} {{.Names}} {{.Status}}");
            out.append("docker ps -a:\n").append(ps);
            for (String line : ps.split("\n")) {
                if (line.isBlank()) continue;
                String id = line.split(" ")[0];
                out.append("\n--- top ").append(line).append(":\n").append(docker("top", id));
                out.append("--- logs (tail 20):\n").append(docker("logs", "--tail", "20", id));
            }
        } catch (IOException | InterruptedException e) {
            out.append("(docker: ").append(e).append(")");
        }
        return out.toString();
    }

    private String docker(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("docker", "-H", url(), "--tlsverify", "--tlscacert", dir.resolve("ca.pem").toString(),
                "--tlscert", dir.resolve("cert.pem").toString(), "--tlskey", dir.resolve("key.pem").toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor(30, TimeUnit.SECONDS);
        return out;
    }

    private boolean answers() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(hosts.address(host), PORT), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(dir.resolve("dockerd.log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private void run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IOException(String.join(" ", cmd) + " failed: " + out.strip());
    }

    /** Stops the engine and whatever it left (its containerd, shims), then removes its files. */
    @Override
    public void close() throws InterruptedException {
        if (dockerd != null) {
            List<ProcessHandle> all = dockerd.toHandle().descendants().toList();
            stopEngine();
            all.forEach(ProcessHandle::destroyForcibly);
            dockerd.destroyForcibly();
        }
        // Containers' shims outlive dockerd on purpose; they are this engine's if their command line names its namespace.
        ProcessHandle.allProcesses().filter(h -> h.info().commandLine().orElse("").contains(name)).forEach(ProcessHandle::destroyForcibly);
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException busy) {
                    // an overlay mount left by a killed engine: the machine's reboot or tmp cleaner gets it
                }
            }
        } catch (IOException ignored) {
            // best effort
        }
    }
}
