package dev.lattice.models.onnx;

import ai.onnxruntime.MapInfo;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.SequenceInfo;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.ValueInfo;
import dev.lattice.api.models.Datatypes;
import dev.lattice.api.models.ModelSignature.Tensor;
import dev.lattice.api.models.ModelSignature;
import dev.lattice.core.LatticeException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a {@link ModelSignature} from a model file or an open session: the half of the signature
 * that needs ONNX Runtime, kept here so that the record itself (in the api module) does not.
 *
 * <p>An output whose last dimension the file leaves dynamic has it measured by running the model
 * once on zeros (see {@link #read}), because a contract's labels are checked against that width.
 * Stateless, so thread-safe.
 */
public final class ModelSignatures {
    private static final Logger log = LoggerFactory.getLogger(ModelSignatures.class);

    private ModelSignatures() {}

    /**
     * Loads a model file, reads its signature and closes it again: what an upload checks.
     *
     * @throws LatticeException 400 {@code models:model.invalid} naming ONNX Runtime's reason
     */
    public static ModelSignature inspect(Path modelFile) {
        try (OrtSession session = Onnx.open(modelFile)) {
            return read(session);
        } catch (OrtException e) {
            throw Onnx.invalid(modelFile, e);
        }
    }

    /** The signature of an open session, measuring dynamic output widths with one run on zeros. */
    public static ModelSignature read(OrtSession session) throws OrtException {
        List<Tensor> inputs = describe(session.getInputInfo());
        List<Tensor> outputs = describe(session.getOutputInfo());
        return new ModelSignature(inputs, measured(session, inputs, outputs));
    }

    private static List<Tensor> describe(Map<String, NodeInfo> nodes) {
        List<Tensor> tensors = new ArrayList<>(nodes.size());
        for (NodeInfo node : nodes.values()) tensors.add(describe(node.getName(), node.getInfo()));
        return tensors;
    }

    private static Tensor describe(String name, ValueInfo info) {
        if (info instanceof TensorInfo tensor) {
            List<Long> shape = new ArrayList<>();
            for (long d : tensor.getShape()) shape.add(d < 0 ? -1L : d);
            return new Tensor(name, OnnxDatatypes.of(tensor.onnxType), shape);
        }
        if (info instanceof SequenceInfo) return new Tensor(name, Datatypes.SEQUENCE, List.of());
        if (info instanceof MapInfo) return new Tensor(name, Datatypes.MAP, List.of());
        return new Tensor(name, "UNKNOWN", List.of());
    }

    /**
     * Runs the model once on zeros (every dynamic input dimension 1) and takes the real last
     * dimension of each tensor output the file leaves dynamic. When that cannot run (an input
     * of strings, a model that needs real values), the width stays -1: unknown, not checked.
     */
    private static List<Tensor> measured(OrtSession session, List<Tensor> inputs, List<Tensor> outputs) {
        Set<String> open = new HashSet<>();
        for (Tensor t : outputs) if (t.isTensor() && t.width() == -1 && !t.shape().isEmpty()) open.add(t.name());
        if (open.isEmpty()) return outputs;
        Map<String, OnnxTensor> feed = new HashMap<>();
        try {
            for (Tensor input : inputs) feed.put(input.name(), Onnx.zeros(input));
            Map<String, Long> widths = new HashMap<>();
            try (OrtSession.Result result = session.run(feed, open)) {
                for (Map.Entry<String, OnnxValue> e : result) {
                    if (e.getValue() instanceof OnnxTensor t) {
                        long[] shape = t.getInfo().getShape();
                        if (shape.length > 0) widths.put(e.getKey(), shape[shape.length - 1]);
                    }
                }
            }
            return outputs.stream().map(t -> withWidth(t, widths.get(t.name()))).toList();
        } catch (OrtException | RuntimeException e) {
            log.warn("could not measure the width of outputs {} on zeros, left unknown: {}", open, e.getMessage());
            return outputs;
        } finally {
            feed.values().forEach(OnnxTensor::close);
        }
    }

    private static Tensor withWidth(Tensor tensor, Long width) {
        if (width == null) return tensor;
        List<Long> shape = new ArrayList<>(tensor.shape());
        shape.set(shape.size() - 1, width);
        return new Tensor(tensor.name(), tensor.datatype(), shape);
    }
}
