package dev.lattice.models.python;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import dev.lattice.api.models.ModelSignature;
import dev.lattice.core.LatticeException;
import dev.lattice.models.onnx.JsonTensors;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One prediction through a Python contract: one worker, held for the whole call, preprocesses
 * the request (an array is one batch, one model run), the session runs, the same worker
 * postprocesses. What goes wrong is answered as API.md says: the contract refusing a request
 * (an exception in {@code preprocess}) 400 with its last line, an exception in
 * {@code postprocess} 500, a call over its time 504, over its memory 500; a spent worker is
 * replaced, the server goes on.
 *
 * <p>Thread-safe: each call holds its own worker; an ONNX Runtime session runs calls concurrently.
 */
public final class PythonPipeline {
    public static final String REFUSED = "model-server:contract.refused";
    public static final String FAILED = "model-server:contract.failed";
    public static final String TIMEOUT = "model-server:contract.timeout";

    private final OrtSession session;
    private final ModelSignature signature;
    private final ContractPool pool;

    public PythonPipeline(OrtSession session, ModelSignature signature, ContractPool pool) {
        this.session = session;
        this.signature = signature;
        this.pool = pool;
    }

    public JsonNode predict(JsonNode request) throws OrtException {
        if (request == null) throw LatticeException.badRequest("core:body.missing", "body: a JSON request is required");
        long timeout = pool.contract().timeoutMs();
        ContractWorker worker = pool.take();
        boolean reusable = false;
        try {
            JsonNode pre = worker.call(Map.of("op", "pre", "request", request), timeout, "preprocess");
            Map<String, Object> outputs = run(pre.path("inputs"));
            JsonNode post = worker.call(Map.of("op", "post", "outputs", outputs), timeout, "postprocess");
            reusable = true;
            return post.path("answer");
        } catch (ContractWorker.Failed e) {
            reusable = !e.fatal;
            throw failure(e);
        } catch (LatticeException | OrtException e) {
            // The worker waits for "post" of a request that ends here; it is no worse for it.
            reusable = true;
            throw e;
        } finally {
            if (reusable) pool.give(worker);
            else pool.replace(worker);
        }
    }

    private Map<String, Object> run(JsonNode inputs) throws OrtException {
        Map<String, OnnxTensor> feed = new HashMap<>();
        try {
            for (var field : (Iterable<Map.Entry<String, JsonNode>>) inputs::fields) {
                ModelSignature.Tensor input = signature.input(field.getKey()).orElseThrow(() -> LatticeException.badRequest(
                        "model-server:contract.inputs", "preprocess() returned input '" + field.getKey() + "'; the model's inputs are "
                                + signature.inputNames()));
                feed.put(field.getKey(), JsonTensors.of(field.getValue(), input));
            }
            try (OrtSession.Result result = session.run(feed)) {
                Map<String, Object> outputs = new LinkedHashMap<>();
                for (Map.Entry<String, OnnxValue> out : result) outputs.put(out.getKey(), out.getValue().getValue());
                return outputs;
            }
        } finally {
            feed.values().forEach(OnnxTensor::close);
        }
    }

    static LatticeException failure(ContractWorker.Failed e) {
        if (e.timedOut) return new LatticeException(TIMEOUT, 504, e.getMessage() + ": the call was ended");
        if (e.phase.equals("preprocess") && !e.fatal) return LatticeException.badRequest(REFUSED, "contract.py: " + e.getMessage());
        return new LatticeException(FAILED, 500, "contract.py: " + e.getMessage());
    }
}
