package dev.lattice.modelserver;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.lattice.api.models.ModelSignature;
import dev.lattice.api.models.contract.Contract;
import dev.lattice.core.LatticeException;
import dev.lattice.models.onnx.ModelSignatures;
import dev.lattice.models.onnx.Onnx;
import dev.lattice.models.onnx.OnnxDatatypes;
import dev.lattice.models.python.ContractPool;
import dev.lattice.models.python.PythonPipeline;
import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One model version loaded in ONNX Runtime, with what its contract needs resolved once: the
 * input to fill, its element type and width, the output to read and whether the model takes a
 * whole batch in one run.
 *
 * <p>Thread-safe: an ONNX Runtime session may run on many threads at once, and everything else
 * here is fixed at construction (the buffer pool is thread-safe).
 */
final class LoadedModel implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LoadedModel.class);
    private static final int WARM_UP_RUNS = 5;

    private final OrtSession session;
    private final ModelSignature signature;
    private final Contract contract;
    private final DirectBuffers buffers;
    private final Feed rows;
    /** A Python contract's workers and pipeline, or null. */
    private final ContractPool pool;
    private final PythonPipeline python;

    /** The contract's side of the model, or null without a contract. */
    private record Feed(String input, OnnxJavaType type, int width, boolean batched, Set<String> output) {}

    private LoadedModel(OrtSession session, ModelSignature signature, Contract contract, ContractPool pool, DirectBuffers buffers) {
        this.session = session;
        this.signature = signature;
        this.contract = contract;
        this.buffers = buffers;
        this.pool = pool;
        this.python = pool == null ? null : new PythonPipeline(session, signature, pool);
        if (contract == null) {
            this.rows = null;
        } else {
            ModelSignature.Tensor in = contract.preprocess().inputOf(signature);
            ModelSignature.Tensor out = contract.postprocess().outputOf(signature);
            this.rows = new Feed(in.name(), OnnxDatatypes.javaType(in.datatype()), contract.preprocess().fields().size(),
                    in.shape().get(0) == -1, Set.of(out.name()));
        }
    }

    /**
     * Opens the file, reads its signature and checks the contract against it.
     *
     * @throws LatticeException 400 when the file is no ONNX model or the contract does not fit it
     */
    static LoadedModel load(Path file, Contract contract, DirectBuffers buffers) {
        return load(file, contract, null, buffers);
    }

    /** With a Python contract's workers ({@code pool}, or null), which this model closes with itself. */
    static LoadedModel load(Path file, Contract contract, ContractPool pool, DirectBuffers buffers) {
        OrtSession session = Onnx.open(file);
        try {
            ModelSignature signature = ModelSignatures.read(session);
            if (contract != null) contract.check(signature);
            return new LoadedModel(session, signature, contract, pool, buffers);
        } catch (OrtException | RuntimeException e) {
            closeQuietly(session);
            if (e instanceof LatticeException le) throw le;
            throw new LatticeException(Onnx.INVALID_MODEL, 400, "model: cannot read its signature: " + e.getMessage(), e);
        }
    }

    ModelSignature signature() {
        return signature;
    }

    /** Null when the server was started without a contract. */
    Contract contract() {
        return contract;
    }

    /** Null unless the model was loaded with a Python contract. */
    PythonPipeline python() {
        return python;
    }

    OrtSession session() {
        return session;
    }

    /**
     * Runs the contract's rows: in one run when the model's batch is dynamic, else one run per row.
     * Output rows come back as FP32, whatever the model's numeric type.
     */
    float[][] predict(double[][] values) throws OrtException {
        if (rows.batched()) return run(values, 0, values.length);
        float[][] out = new float[values.length][];
        for (int i = 0; i < values.length; i++) out[i] = run(values, i, 1)[0];
        return out;
    }

    /**
     * A few runs on zeros, so that the first client does not pay for ONNX Runtime's first-run
     * allocations or the JIT: through the contract's path when there is one, else on every input.
     */
    void warmUp() throws OrtException {
        for (int i = 0; i < WARM_UP_RUNS; i++) {
            if (contract != null) {
                float[][] out = predict(new double[rows.batched() ? 1 + i : 1][rows.width()]);
                contract.answer(out, false);
                continue;
            }
            Map<String, OnnxTensor> zeros = new HashMap<>();
            try {
                for (ModelSignature.Tensor input : signature.inputs()) zeros.put(input.name(), Onnx.zeros(input));
                session.run(zeros).close();
            } finally {
                zeros.values().forEach(OnnxTensor::close);
            }
        }
    }

    private float[][] run(double[][] values, int from, int count) throws OrtException {
        int width = rows.width();
        ByteBuffer buffer = buffers.take(count * width * rows.type().size);
        try {
            write(values, from, count, buffer);
            try (OnnxTensor tensor = OnnxTensor.createTensor(Onnx.environment(), buffer, new long[] {count, width}, rows.type());
                 OrtSession.Result result = session.run(Map.of(rows.input(), tensor), rows.output())) {
                return read(result.get(0), count);
            }
        } finally {
            buffers.give(buffer);
        }
    }

    private void write(double[][] values, int from, int count, ByteBuffer buffer) {
        int width = rows.width();
        int at = 0;
        for (int r = from; r < from + count; r++) {
            double[] row = values[r];
            for (int c = 0; c < width; c++, at++) {
                switch (rows.type()) {
                    case FLOAT -> buffer.putFloat(at * 4, (float) row[c]);
                    case DOUBLE -> buffer.putDouble(at * 8, row[c]);
                    case INT64 -> buffer.putLong(at * 8, Math.round(row[c]));
                    case INT32 -> buffer.putInt(at * 4, (int) Math.round(row[c]));
                    default -> throw new IllegalStateException("a contract cannot fill " + rows.type());
                }
            }
        }
    }

    /** The output tensor ({@code [rows]} or {@code [rows, width]}) as FP32 rows. */
    private static float[][] read(OnnxValue value, int count) {
        if (!(value instanceof OnnxTensor tensor)) throw new IllegalStateException("the model's output is not a tensor");
        long total = tensor.getInfo().getNumElements();
        if (total % count != 0) {
            throw new LatticeException(Contract.MISMATCH, 500, "the model answered " + total + " values for " + count + " rows");
        }
        int width = (int) (total / count);
        float[][] out = new float[count][width];
        switch (tensor.getInfo().type) {
            case FLOAT -> {
                FloatBuffer b = tensor.getFloatBuffer();
                for (float[] row : out) b.get(row);
            }
            case DOUBLE -> {
                DoubleBuffer b = tensor.getDoubleBuffer();
                for (float[] row : out) for (int c = 0; c < width; c++) row[c] = (float) b.get();
            }
            case INT64 -> {
                LongBuffer b = tensor.getLongBuffer();
                for (float[] row : out) for (int c = 0; c < width; c++) row[c] = b.get();
            }
            case INT32 -> {
                IntBuffer b = tensor.getIntBuffer();
                for (float[] row : out) for (int c = 0; c < width; c++) row[c] = b.get();
            }
            case BOOL -> {
                ByteBuffer b = tensor.getByteBuffer();
                for (float[] row : out) for (int c = 0; c < width; c++) row[c] = b.get() != 0 ? 1f : 0f;
            }
            default -> throw new IllegalStateException("cannot read an output of " + tensor.getInfo().type);
        }
        return out;
    }

    @Override
    public void close() {
        if (pool != null) pool.close();
        closeQuietly(session);
    }

    private static void closeQuietly(OrtSession session) {
        try {
            session.close();
        } catch (OrtException e) {
            log.warn("closing the ONNX session failed: {}", e.getMessage());
        }
    }
}
