package dev.lattice.models.onnx;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import dev.lattice.api.models.ModelSignature;
import dev.lattice.core.LatticeException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The process's one ONNX Runtime environment, and opening models in it.
 *
 * <p>ONNX Runtime allows a single environment per process, so it is made here once, on first use,
 * with telemetry turned off before any session exists: left on, ONNX Runtime writes a device id and
 * an event queue naming models and their producers under {@code $HOME/.cache/Microsoft/DeveloperTools}.
 *
 * <p><b>A process that runs models must still have its own {@code HOME} and temp directory</b>
 * ({@code TMPDIR} and {@code -Djava.io.tmpdir}): the runtime unpacks its native libraries into the
 * temp directory and may touch {@code HOME} while loading, before telemetry can be switched off.
 * On JDK 24 and later, also pass {@code --enable-native-access=ALL-UNNAMED} to keep the JVM quiet
 * about the native library.
 *
 * <p>Thread-safe: the environment is made once (holder idiom); a session may run on many threads.
 */
public final class Onnx {
    /** The error code of a file ONNX Runtime cannot load. */
    public static final String INVALID_MODEL = "models:model.invalid";
    private static final long ENVIRONMENT_STACK_BYTES = 64L << 20;

    private Onnx() {}

    /** The shared environment; made on the first call (about 0.2 s). */
    public static OrtEnvironment environment() {
        return Holder.ENVIRONMENT;
    }

    /**
     * Opens a model for serving: one intra-op thread and no spinning, because the models are small
     * and concurrent requests already use the cores; a spinning pool per session would burn them.
     *
     * @throws LatticeException 400 {@code models:model.invalid} when ONNX Runtime cannot load the file
     */
    public static OrtSession open(Path modelFile) {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            options.addConfigEntry("session.intra_op.allow_spinning", "0");
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            return environment().createSession(modelFile.toString(), options);
        } catch (OrtException e) {
            throw invalid(modelFile, e);
        }
    }

    /**
     * A tensor of zeros with every dynamic dimension set to 1: what is run to measure an output
     * or to warm a session up.
     *
     * @throws IllegalArgumentException for a datatype that has no zero here (BYTES, SEQUENCE, MAP)
     */
    public static OnnxTensor zeros(ModelSignature.Tensor tensor) throws OrtException {
        OnnxJavaType type = OnnxDatatypes.javaType(tensor.datatype());
        long[] shape = tensor.shape().stream().mapToLong(d -> d < 0 ? 1 : d).toArray();
        long count = 1;
        for (long d : shape) count = Math.multiplyExact(count, d);
        // allocateDirect hands out zeroed memory; the runtime reads it in place.
        ByteBuffer zeros = ByteBuffer.allocateDirect(Math.toIntExact(count * type.size)).order(ByteOrder.nativeOrder());
        return OnnxTensor.createTensor(environment(), zeros, shape, type);
    }

    /** ONNX Runtime's reason on one line, without its error-code preamble. */
    public static String reason(OrtException e) {
        String reason = e.getMessage() == null ? "no reason given" : e.getMessage();
        // "Error code - ORT_INVALID_PROTOBUF - message: Load model from ... failed:Protobuf parsing failed."
        reason = reason.replaceFirst("^Error code - \\S+ - message[:\\s-]*", "");
        int newline = reason.indexOf('\n');
        return (newline < 0 ? reason : reason.substring(0, newline)).strip();
    }

    /** A 400 for a file ONNX Runtime cannot load, naming the file but not where it lies. */
    static LatticeException invalid(Path modelFile, OrtException e) {
        String reason = reason(e).replace(modelFile.toAbsolutePath().toString(), String.valueOf(modelFile.getFileName()))
                .replace(modelFile.toString(), String.valueOf(modelFile.getFileName()));
        return new LatticeException(INVALID_MODEL, 400, "model: not a valid ONNX model: " + reason, e);
    }

    /**
     * ONNX Runtime reads the process's command line while making the environment (device
     * information) with stack in proportion to its length: 4 KB of arguments, a long class path
     * is enough, overflow a default 1 MB thread stack and kill the JVM without an error file.
     * So the environment is made on a thread of its own with room for ~250 KB of arguments.
     * (Not in {@link Holder}: the thread would wait for the very class initialisation that waits for it.)
     */
    private static OrtEnvironment create() {
        AtomicReference<Object> made = new AtomicReference<>();
        Thread maker = Thread.ofPlatform().name("onnx-environment").stackSize(ENVIRONMENT_STACK_BYTES).start(() -> {
            try {
                OrtEnvironment environment = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING, "lattice");
                environment.setTelemetry(false);
                made.set(environment);
            } catch (OrtException | RuntimeException | Error e) {
                made.set(e);
            }
        });
        boolean interrupted = false;
        while (maker.isAlive()) {
            try {
                maker.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
        if (made.get() instanceof OrtEnvironment environment) return environment;
        Throwable failure = (Throwable) made.get();
        throw new IllegalStateException("cannot start ONNX Runtime: " + failure.getMessage(), failure);
    }

    private static final class Holder {
        static final OrtEnvironment ENVIRONMENT = create();
    }
}
