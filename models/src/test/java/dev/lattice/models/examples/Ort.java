package dev.lattice.models.examples;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.util.Map;

/** Runs a model in ONNX Runtime, the judge of whether the written bytes are a valid model. */
final class Ort {
    private Ort() {
    }

    /** The environment, with telemetry off so tests leave nothing under the user's home. */
    static OrtEnvironment environment() throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        env.setTelemetry(false);
        return env;
    }

    /** Feeds rows to the model's only input and returns its only output. */
    static float[][] run(byte[] model, float[][] rows) throws OrtException {
        OrtEnvironment env = environment();
        try (OrtSession session = env.createSession(model);
                OnnxTensor input = OnnxTensor.createTensor(env, rows);
                OrtSession.Result result = session.run(
                        Map.of(session.getInputNames().iterator().next(), input))) {
            return (float[][]) result.get(0).getValue();
        }
    }

    /** The shape ONNX Runtime reads for each input and output, by name; -1 for dynamic. */
    static Map<String, long[]> shapes(byte[] model) throws OrtException {
        try (OrtSession session = environment().createSession(model)) {
            Map<String, long[]> shapes = new java.util.TreeMap<>();
            for (Map<String, NodeInfo> infos : java.util.List.of(session.getInputInfo(),
                    session.getOutputInfo())) {
                infos.forEach((name, info) -> shapes.put(name,
                        ((TensorInfo) info.getInfo()).getShape()));
            }
            return shapes;
        }
    }
}
