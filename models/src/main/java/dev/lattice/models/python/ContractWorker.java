package dev.lattice.models.python;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lattice.core.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One warm Python process running one contract ({@code contract_worker.py}): it confines itself
 * (Landlock, seccomp, rlimits) before the contract's first line runs, then answers one JSON line
 * per JSON line. The JVM side caps time: a call that does not answer in time kills the process.
 *
 * <p>Not thread-safe: one caller at a time ({@link ContractPool} hands workers out).
 */
final class ContractWorker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ContractWorker.class);
    private static final String SCRIPT = script();
    /** What a worker may print (its contract's print() included) before the rest is dropped, not logged. */
    private static final int MAX_LOG_LINES = 100;
    private static final String EOF = "\u0000eof";
    private static final String TOO_LARGE = "\u0000too-large";
    /** The longest answer taken from a worker: as much as a request's body may be (4 MiB). */
    static final int MAX_ANSWER_CHARS = 4 << 20;

    private final Process process;
    private final Writer in;
    private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();
    private final Path tmp;
    private final int memoryMb;

    /** How a call failed: in which phase, the exception's last line, and whether the worker is spent. */
    static final class Failed extends Exception {
        final String phase;
        /** The worker is gone or spent (timed out, died, ran out of memory): start a fresh one. */
        final boolean fatal;
        final boolean timedOut;

        Failed(String phase, String message, boolean fatal, boolean timedOut) {
            super(message, null, false, false);
            this.phase = phase;
            this.fatal = fatal;
            this.timedOut = timedOut;
        }
    }

    private ContractWorker(Process process, Path tmp, int memoryMb) {
        this.process = process;
        this.in = new java.io.BufferedWriter(new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8), 8192);
        this.tmp = tmp;
        this.memoryMb = memoryMb;
        Thread.ofVirtual().name("contract-out-" + process.pid()).start(() -> readAnswers(process.getInputStream()));
        Thread.ofVirtual().name("contract-err-" + process.pid()).start(() -> logOutput(process.getErrorStream()));
    }

    /**
     * Starts a worker and loads the contract in it, waiting up to {@code startTimeoutMs}.
     *
     * @throws Failed phase {@code load} (the contract does not parse or raised while loading; its
     *                last line), {@code sandbox} (this node cannot confine it) or {@code start}
     */
    static ContractWorker start(PythonContract contract, Path tmpRoot, long startTimeoutMs) throws Failed {
        Path tmp;
        Process process;
        try {
            Path root = workRoot(tmpRoot);
            Files.createDirectories(root);
            tmp = Files.createTempDirectory(root, "contract-");
            ProcessBuilder pb = new ProcessBuilder(PythonContract.python(), "-I", "-B", "-c", SCRIPT,
                    Integer.toString(contract.memoryMb()), tmp.toAbsolutePath().toString());
            // A clean environment: nothing of the server's (its serve key) reaches the contract.
            Map<String, String> env = pb.environment();
            env.clear();
            env.putAll(Map.of("PATH", "/usr/bin:/bin", "TMPDIR", tmp.toAbsolutePath().toString(), "HOME", tmp.toAbsolutePath().toString(),
                    "LANG", "C.UTF-8", "OPENBLAS_NUM_THREADS", "1", "OMP_NUM_THREADS", "1", "MKL_NUM_THREADS", "1"));
            pb.directory(tmp.toFile());
            process = pb.start();
        } catch (IOException e) {
            throw new Failed("start", "cannot start " + PythonContract.python() + ": " + e.getMessage(), true, false);
        }
        ContractWorker worker = new ContractWorker(process, tmp, contract.memoryMb());
        JsonNode hello;
        try {
            hello = worker.call(Map.of("source", contract.source()), startTimeoutMs, "load");
        } catch (Failed e) {
            worker.close();
            throw e;
        }
        if (!hello.path("ready").asBoolean()) {
            worker.close();
            throw new Failed("start", "the worker answered " + hello, true, false);
        }
        return worker;
    }

    /**
     * Where a worker's private folder goes: under {@code requested}, except for a root process,
     * whose worker runs as nobody and could not reach a folder under a root-only one (the data
     * folder, a test's temp folder): then under {@code /tmp}, in a folder others may enter but not list.
     */
    static Path workRoot(Path requested) throws IOException {
        if (!"root".equals(System.getProperty("user.name"))) return requested;
        Path root = Path.of("/tmp", "lattice-contracts");
        Files.createDirectories(root);
        Files.setPosixFilePermissions(root, java.nio.file.attribute.PosixFilePermissions.fromString("rwx--x--x"));
        return root;
    }

    /** One call: {@code message} in, the worker's answer out. */
    JsonNode call(Object message, long timeoutMs, String phase) throws Failed {
        String line;
        try {
            in.write(Json.string(message));
            in.write('\n');
            in.flush();
            line = answers.poll(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (IOException e) {
            throw died(phase);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failed(phase, "interrupted", true, false);
        }
        if (line == null) {
            close();
            throw new Failed(phase, "the contract's " + phase + " took more than " + timeoutMs + " ms", true, true);
        }
        if (line.equals(EOF)) throw died(phase);
        if (line.equals(TOO_LARGE)) {
            close();
            throw new Failed(phase, "the contract's " + phase + " answered more than " + MAX_ANSWER_CHARS + " characters", true, false);
        }
        JsonNode answer;
        try {
            answer = Json.MAPPER.readTree(line);
        } catch (IOException e) {
            throw new Failed(phase, "the worker answered something that is not JSON", true, false);
        }
        if (answer.has("error")) {
            String p = answer.path("phase").asText(phase);
            boolean spent = answer.path("memory").asBoolean() || p.equals("load") || p.equals("sandbox");
            throw new Failed(p, answer.get("error").asText(), spent, false);
        }
        return answer;
    }

    private Failed died(String phase) {
        close();
        int exit = process.isAlive() ? -1 : process.exitValue();
        // Killed by the kernel over a limit (SIGKILL, SIGXFSZ, SIGSYS) or ended on its own.
        String how = exit > 128 ? "was killed by signal " + (exit - 128) : "ended (exit " + exit + ")";
        return new Failed(phase, "the contract's worker " + how + " during " + phase
                + " (its memory cap is " + memoryMb + " MiB)", true, false);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    private void readAnswers(InputStream out) {
        // Read in chunks, split at newlines: a line longer than MAX_ANSWER_CHARS (an answer beyond a
        // request's own size limit) would only exhaust the server's heap, so it ends the worker.
        try (var reader = new InputStreamReader(out, StandardCharsets.UTF_8)) {
            StringBuilder line = new StringBuilder();
            char[] chunk = new char[8192];
            for (int n; (n = reader.read(chunk)) >= 0; ) {
                int from = 0;
                for (int i = 0; i < n; i++) {
                    if (chunk[i] != '\n') continue;
                    line.append(chunk, from, i - from);
                    answers.add(line.toString());
                    line.setLength(0);
                    from = i + 1;
                }
                line.append(chunk, from, n - from);
                if (line.length() > MAX_ANSWER_CHARS) {
                    answers.add(TOO_LARGE);
                    process.destroyForcibly();
                    return;
                }
            }
        } catch (IOException e) {
            // the process is gone
        } finally {
            answers.add(EOF);
        }
    }

    private void logOutput(InputStream err) {
        try (var reader = new BufferedReader(new InputStreamReader(err, StandardCharsets.UTF_8))) {
            int lines = 0;
            for (String line; (line = reader.readLine()) != null; ) {
                if (++lines <= MAX_LOG_LINES) log.info("contract[{}]: {}", process.pid(), line.length() > 500 ? line.substring(0, 500) + "…" : line);
                else if (lines == MAX_LOG_LINES + 1) log.info("contract[{}]: further output dropped", process.pid());
            }
        } catch (IOException e) {
            // the process is gone
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        dev.lattice.api.repository.StagedFiles.deleteTree(tmp);
    }

    private static String script() {
        try (InputStream s = ContractWorker.class.getResourceAsStream("contract_worker.py")) {
            if (s == null) throw new IllegalStateException("contract_worker.py is missing from the models jar");
            return new String(s.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
