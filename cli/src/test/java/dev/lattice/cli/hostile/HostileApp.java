package dev.lattice.cli.hostile;

import java.io.IOException;
import java.lang.reflect.Field;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A hostile app, as an app developer might upload one (IsolationIT packs this class alone into a
 * jar): it tries to read the platform's data and secrets, other processes' environments, to signal
 * the platform, to write outside its folder and to fork 600 processes, reports through its outputs
 * what it managed, then allocates ten times its declared memory. Only the JDK is used, so the jar
 * needs nothing else on a node. Params: {@code data} (the platform's data folder), {@code upPid}
 * (the pid of {@code lattice up} on the host), {@code memoryMb} (what its config declared).
 */
public final class HostileApp {
    public static void main(String[] args) throws Exception {
        Map<String, String> env = System.getenv();
        String params = env.getOrDefault("LATTICE_PARAMS", "{}");
        Path data = Path.of(param(params, "data"));
        long upPid = Long.parseLong(param(params, "upPid"));
        long memoryMb = Long.parseLong(param(params, "memoryMb"));
        Path folder = Path.of("").toAbsolutePath();
        Path ownRoot = env.containsKey("HOME") ? Path.of(env.get("HOME")) : folder;

        StringBuilder r = new StringBuilder("{");
        r.append("\"uid\":").append(uid()).append(',');
        List<String> readable = readableUnder(data, folder, ownRoot);
        r.append("\"dataFilesRead\":").append(readable.size()).append(',');
        r.append("\"dataFilesReadSample\":\"").append(esc(String.join(" ", readable.subList(0, Math.min(5, readable.size()))))).append("\",");
        r.append("\"shadowRead\":").append(canRead(Path.of("/etc/shadow"))).append(',');
        long self = ProcessHandle.current().pid();
        // Its own ancestors inside its sandbox (docker's init, bwrap's) carry its own environment: not another's.
        List<Long> own = new ArrayList<>();
        for (var h = ProcessHandle.current().parent(); h.isPresent(); h = h.get().parent()) own.add(h.get().pid());
        List<Long> visible = new ArrayList<>();
        int environsRead = 0;
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                long pid = Long.parseLong(p.getFileName().toString());
                visible.add(pid);
                if (pid == self || own.contains(pid)) continue;
                try {
                    if (new String(Files.readAllBytes(p.resolve("environ"))).contains("LATTICE_")) environsRead++;
                } catch (IOException | SecurityException e) {
                    // refused: as it should be
                }
            }
        }
        r.append("\"processesSeen\":").append(visible.size()).append(',');
        r.append("\"otherEnvironsRead\":").append(environsRead).append(',');
        long platformSeen = ProcessHandle.allProcesses().filter(h -> h.info().commandLine().orElse("").contains("dev.lattice.cli.Lattice")).count();
        r.append("\"platformProcessesSeen\":").append(platformSeen).append(',');
        int signalled = 0;
        for (ProcessHandle h : ProcessHandle.allProcesses().toList()) {
            if (h.pid() == self || h.pid() == 1) continue;
            if (h.info().commandLine().orElse("").contains("dev.lattice") && h.destroy()) signalled++;
        }
        if (upPid != self && upPid != 1) {
            try {
                if (ProcessHandle.of(upPid).map(ProcessHandle::destroy).orElse(false)) signalled++;
            } catch (RuntimeException refused) {
                // not allowed
            }
        }
        r.append("\"signalled\":").append(signalled).append(',');
        List<String> wrote = new ArrayList<>();
        for (Path target : List.of(data.resolve("pwned"), data.resolve("nodes").resolve("pwned"), folder.getParent().resolve("pwned"),
                Path.of("/pwned"), Path.of("/etc/pwned"), Path.of("/usr/pwned"))) {
            try {
                Files.writeString(target, "pwned");
                wrote.add(target.toString());
            } catch (IOException | SecurityException e) {
                // refused: as it should be
            }
        }
        r.append("\"wroteOutside\":\"").append(esc(String.join(" ", wrote))).append("\",");
        int forked = 0;
        List<Process> children = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            try {
                children.add(new ProcessBuilder("sleep", "60").start());
                forked++;
            } catch (IOException | Error e) {
                break;
            }
        }
        children.forEach(Process::destroyForcibly);
        r.append("\"forked\":").append(forked).append(',');
        // A model server's port, straight, without the gateway: as any process on the host could.
        String modelPort = optionalParam(params, "modelPort");
        if (modelPort != null && !modelPort.equals("0")) {
            r.append("\"modelServerAnswered\":\"").append(status("GET", "http://127.0.0.1:" + modelPort + "/v2/models/iris"))
                    .append(' ').append(status("POST", "http://127.0.0.1:" + modelPort + "/predict")).append("\",");
        }
        r.append("\"phase\":\"probed\"}");
        post(env, r.toString());

        // Ten times what it declared, touched page by page so that it is really resident.
        Field f = Class.forName("sun.misc.Unsafe").getDeclaredField("theUnsafe");
        f.setAccessible(true);
        Object unsafe = f.get(null);
        var allocate = unsafe.getClass().getMethod("allocateMemory", long.class);
        var put = unsafe.getClass().getMethod("putByte", long.class, byte.class);
        long chunk = 16L << 20;
        for (long got = 0; got < memoryMb * 10 << 20; got += chunk) {
            long at = (long) allocate.invoke(unsafe, chunk);
            for (long o = 0; o < chunk; o += 4096) put.invoke(unsafe, at + o, (byte) 1);
        }
        post(env, "{\"phase\":\"allocated\",\"mb\":" + memoryMb * 10 + "}");
        Thread.sleep(60_000);
    }

    private static String uid() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("Uid:")) return line.split("\\s+")[1];
        }
        return "-1";
    }

    /** Files under the platform's data folder it could read, outside its own folder. */
    private static List<String> readableUnder(Path data, Path own, Path ownRoot) {
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(data)) return out;
        try (Stream<Path> all = Files.walk(data)) {
            all.filter(Files::isRegularFile).filter(p -> !p.startsWith(own) && !p.startsWith(ownRoot))
                    .filter(HostileApp::canRead).forEach(p -> out.add(p.toString()));
        } catch (IOException | RuntimeException e) {
            // a folder it may not enter: the walk stops there
        }
        return out;
    }

    private static boolean canRead(Path p) {
        try (var in = Files.newInputStream(p)) {
            in.read();
            return true;
        } catch (IOException | SecurityException e) {
            return false;
        }
    }

    private static void post(Map<String, String> env, String json) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create(env.get("LATTICE_URL") + "/api/v1/app-instances/"
                        + env.get("LATTICE_INSTANCE") + "/outputs"))
                .header("Authorization", "Bearer " + env.get("LATTICE_TOKEN")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
        HttpResponse<String> answer = HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofString());
        System.out.println("posted " + json + " -> " + answer.statusCode());
    }

    /** The HTTP status a request without any credential gets, or -1 if nothing answers. */
    private static int status(String method, String url) {
        try {
            var req = HttpRequest.newBuilder(URI.create(url)).method(method, method.equals("POST")
                    ? HttpRequest.BodyPublishers.ofString("{\"sepal_length\":1,\"sepal_width\":1,\"petal_length\":1,\"petal_width\":1}")
                    : HttpRequest.BodyPublishers.noBody()).header("Content-Type", "application/json").build();
            return HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private static String optionalParam(String json, String name) {
        return json.contains("\"" + name + "\"") ? param(json, name) : null;
    }

    /** A string param from LATTICE_PARAMS (flat JSON object; enough for this app, which must need nothing but the JDK). */
    private static String param(String json, String name) {
        var m = java.util.regex.Pattern.compile("\"" + name + "\"\\s*:\\s*\"?([^\",}]*)\"?").matcher(json);
        if (!m.find()) throw new IllegalArgumentException("param " + name + " missing in " + json);
        return m.group(1);
    }

    private static String esc(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
