package dev.lattice.modelserver;

import ai.onnxruntime.OrtException;
import dev.lattice.models.python.ContractPool;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Starts a model server for one model version:
 * <ol>
 *   <li>reads the settings ({@link ModelServerConfig}: flags, {@code LATTICE_PORT},
 *       {@code LATTICE_MODEL_CONTRACT}, {@code LATTICE_SERVE_KEY});</li>
 *   <li>builds the metrics and the buffer pool, and starts the HTTP server: liveness answers at
 *       once, readiness 503;</li>
 *   <li>loads the model in ONNX Runtime, reads its signature and checks the contract against it;</li>
 *   <li>warms it up with a few runs on zeros;</li>
 *   <li>answers ready.</li>
 * </ol>
 * From the command line ({@link #main}), SIGTERM stops it gracefully: readiness goes 503, requests
 * in flight finish (up to 5 s), the process exits 0.
 *
 * <p>The process needs its own {@code HOME} and temp directory, and on JDK 24+
 * {@code --enable-native-access=ALL-UNNAMED}: see {@link dev.lattice.models.onnx.Onnx}.
 */
public final class ModelServerMain implements AutoCloseable {
    private final Logger log = LoggerFactory.getLogger(ModelServerMain.class);
    private final ModelServerConfig config;
    private final DirectBuffers buffers;
    private final ModelServer server;

    private ModelServerMain(ModelServerConfig config) {
        this.config = config;
        this.buffers = new DirectBuffers();
        this.server = new ModelServer(config, new ServerMetrics(config.name(), config.version()), buffers)
                .start(config.host(), config.port());
        log.info("model {}:{} listening on port {}; ready once loaded", config.name(), config.version(), server.port());
    }

    /**
     * Starts the server and returns once the model is ready.
     *
     * @throws dev.lattice.core.LatticeException when the file is no ONNX model or the contract does not fit it
     */
    public static ModelServerMain start(ModelServerConfig config) {
        ModelServerMain main = listen(config);
        try {
            main.load();
        } catch (RuntimeException e) {
            main.close();
            throw e;
        }
        return main;
    }

    /** Steps 1-2: listening, not ready. */
    static ModelServerMain listen(ModelServerConfig config) {
        return new ModelServerMain(config);
    }

    /** Steps 3-5: load, check, warm up, then ready. */
    void load() {
        long started = System.nanoTime();
        ContractPool pool = config.python() == null ? null
                : ContractPool.start(config.python(), dev.lattice.models.python.PythonContract.WORKERS, Path.of(System.getProperty("java.io.tmpdir"), "contracts"));
        LoadedModel model;
        try {
            model = LoadedModel.load(config.file(), config.contract(), pool, buffers);
        } catch (RuntimeException e) {
            if (pool != null) pool.close();
            throw e;
        }
        try {
            model.warmUp();
        } catch (OrtException | RuntimeException e) {
            model.close();
            throw new IllegalStateException("model " + config.name() + ":" + config.version() + " failed on zeros while warming up: " + e.getMessage(), e);
        }
        // The example passed at upload; here it proves the contract runs in this replica's own sandbox too.
        if (model.python() != null && config.example() != null) {
            try {
                model.python().predict(config.example());
            } catch (OrtException | RuntimeException e) {
                model.close();
                throw new IllegalStateException("model " + config.name() + ":" + config.version() + ": the config's example failed through contract.py: " + e.getMessage(), e);
            }
        }
        server.serve(model);
        log.info("model {}:{} ready in {} ms ({}; inputs {}, outputs {})", config.name(), config.version(),
                (System.nanoTime() - started) / 1_000_000, config.python() != null ? "with a Python contract" : config.contract() == null ? "no contract: V2 only" : "with contract",
                model.signature().inputs(), model.signature().outputs());
    }

    public int port() {
        return server.port();
    }

    public boolean isReady() {
        return server.isReady();
    }

    @Override
    public void close() {
        log.info("model {}:{} stopping", config.name(), config.version());
        server.close();
    }

    public static void main(String[] args) {
        // Our logging setup by name, before the first logger: a dependency may bring a logback.xml of its own.
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "model-server-logback.xml");
        }
        System.exit(new CommandLine(new Cli()).execute(args));
    }

    /** The command line; model and version are on it so that operators see them in {@code ps}. */
    @Command(name = "lattice-model-server", description = "Serve one ONNX model version over HTTP (predict, KServe V2, metrics).")
    static final class Cli implements Callable<Integer> {
        @Option(names = "--model", required = true, paramLabel = "NAME", description = "The model's name.")
        String model;

        @Option(names = "--version", required = true, paramLabel = "V", description = "The model version.")
        String version;

        @Option(names = "--file", required = true, paramLabel = "PATH", description = "The ONNX file.")
        Path file;

        @Option(names = "--port", paramLabel = "N", description = "HTTP port (default: $LATTICE_PORT, else 0: any free port).")
        Integer port;

        @Option(names = "--host", paramLabel = "HOST", description = "Interface to listen on (default: 0.0.0.0).")
        String host;

        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help.")
        boolean help;

        @Override
        public Integer call() {
            System.setProperty("lattice.model", model + ":" + version);
            Logger log = LoggerFactory.getLogger(ModelServerMain.class);
            ModelServerMain main;
            try {
                main = listen(ModelServerConfig.of(model, version, file, host, port, System.getenv()));
            } catch (IllegalArgumentException e) {
                System.err.println("lattice-model-server: " + e.getMessage());
                return 2;
            } catch (RuntimeException e) {
                log.error("cannot listen: {}", e.getMessage(), e);
                return 1;
            }
            // SIGTERM is how the agent stops a workload, so it ends well: exit 0, where the JVM would say 143.
            Thread hook = new Thread(() -> {
                main.close();
                Runtime.getRuntime().halt(0);
            }, "shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                main.load();
            } catch (RuntimeException e) {
                log.error("model {}:{} cannot be served: {}", model, version, e.getMessage());
                Runtime.getRuntime().removeShutdownHook(hook);
                main.close();
                return 1;
            }
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return 0;
        }
    }
}
