package dev.lattice.models.python;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import dev.lattice.api.models.ModelSignature;
import dev.lattice.core.LatticeException;
import dev.lattice.models.onnx.Onnx;
import java.nio.file.Path;

/**
 * The upload's check of a Python contract, in the models service: the contract loads in a
 * worker confined exactly as a replica's (so a syntax error, a failing import or a missing
 * function is a 400), and the config's {@code example} goes through preprocess, the model and
 * postprocess once. Anything it raises is a 400 holding its last line; nothing is stored.
 */
public final class PythonChecks {
    public static final String EXAMPLE = "models:contract.example";

    private PythonChecks() {}

    public static void check(PythonContract contract, JsonNode example, Path model, ModelSignature signature, Path tmp) {
        try (ContractPool pool = ContractPool.start(contract, 1, tmp)) {
            if (example == null) return;
            try (OrtSession session = Onnx.open(model)) {
                new PythonPipeline(session, signature, pool).predict(example);
            } catch (LatticeException e) {
                throw LatticeException.badRequest(EXAMPLE, "config.example: " + e.getMessage());
            } catch (OrtException e) {
                throw LatticeException.badRequest(EXAMPLE, "config.example: the model refused the inputs contract.py made: " + Onnx.reason(e));
            }
        }
    }
}
