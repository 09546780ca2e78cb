package dev.lattice.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import dev.lattice.api.models.Datatypes;
import dev.lattice.api.models.ModelSignature;
import dev.lattice.api.models.contract.Contract;
import dev.lattice.api.models.contract.Rows;
import dev.lattice.core.Json;
import dev.lattice.models.onnx.ModelSignatures;
import dev.lattice.models.onnx.Onnx;
import java.nio.file.Path;
import java.util.Map;

/**
 * bench/inference's baseline: the model called in this JVM, doing per request what a model server
 * does between reading a body and writing an answer (JSON bytes → contract rows → tensor →
 * ONNX Runtime → contract answer → JSON bytes), with no HTTP, no other process, no gateway.
 * Thread-safe: ONNX Runtime sessions run on many threads at once.
 */
final class InProcessModel implements AutoCloseable {
    private final OrtSession session;
    private final Contract contract;
    private final ModelSignature.Tensor input;
    private final String output;

    /** Opens the model as the model server does ({@link Onnx#open}: one intra-op thread, no spinning) and checks the contract against it. */
    InProcessModel(Path modelFile, String contractText) throws OrtException {
        this.session = Onnx.open(modelFile);
        this.contract = Contract.parse(contractText);
        ModelSignature signature = ModelSignatures.read(session);
        contract.check(signature);
        this.input = contract.preprocess().inputOf(signature);
        this.output = contract.postprocess().outputOf(signature).name();
        if (!input.datatype().equals(Datatypes.FP32) && !input.datatype().equals(Datatypes.FP64)) {
            throw new IllegalArgumentException("bench/inference feeds FP32 or FP64 inputs, not " + input.datatype());
        }
    }

    /** One prediction, bytes in and bytes out. */
    byte[] predict(byte[] body) throws OrtException {
        Rows rows = contract.rows(Json.read(body, JsonNode.class));
        try (OnnxTensor tensor = tensor(rows.values()); OrtSession.Result result = session.run(Map.of(input.name(), tensor))) {
            OnnxValue value = result.get(output).orElseThrow();
            return Json.bytes(contract.answer(floats(value.getValue()), rows.single()));
        }
    }

    private OnnxTensor tensor(double[][] rows) throws OrtException {
        if (input.datatype().equals(Datatypes.FP64)) return OnnxTensor.createTensor(Onnx.environment(), rows);
        float[][] f = new float[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            f[i] = new float[rows[i].length];
            for (int j = 0; j < rows[i].length; j++) f[i][j] = (float) rows[i][j];
        }
        return OnnxTensor.createTensor(Onnx.environment(), f);
    }

    /** The output as FP32 rows, as {@link Contract#answer} wants them ([rows] is read as one column). */
    private static float[][] floats(Object value) {
        if (value instanceof float[][] f) return f;
        if (value instanceof float[] f) {
            float[][] rows = new float[f.length][];
            for (int i = 0; i < f.length; i++) rows[i] = new float[] {f[i]};
            return rows;
        }
        if (value instanceof double[][] d) {
            float[][] rows = new float[d.length][];
            for (int i = 0; i < d.length; i++) {
                rows[i] = new float[d[i].length];
                for (int j = 0; j < d[i].length; j++) rows[i][j] = (float) d[i][j];
            }
            return rows;
        }
        throw new IllegalStateException("bench/inference reads FP32 or FP64 outputs, not " + value.getClass().getSimpleName());
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }
}
