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
import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.lattice.core.LatticeException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a model takes and gives: its input and output tensors, in the model's order, with V2
 * datatype names and shapes ({@code -1} for a dynamic dimension).
 *
 * <p>An output whose last dimension the file leaves dynamic has it measured by running the model
 * once on zeros (see {@link #read}), because a contract's labels are checked against that width.
 * Immutable.
 *
 * @param inputs  the model's inputs
 * @param outputs the model's outputs; a non-tensor output has datatype {@code SEQUENCE} or
 *                {@code MAP} and an empty shape
 */
public record ModelSignature(List<Tensor> inputs, List<Tensor> outputs) {
    private static final Logger log = LoggerFactory.getLogger(ModelSignature.class);

    public ModelSignature {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }

    /**
     * One input or output.
     *
     * @param name     the tensor's name in the graph
     * @param datatype V2 name: FP32, FP64, INT64, INT32, BOOL, ..., or SEQUENCE / MAP for non-tensors
     * @param shape    dimensions, {@code -1} where dynamic (typically the batch)
     */
    public record Tensor(String name, String datatype, List<Long> shape) {
        public Tensor {
            shape = List.copyOf(shape);
        }

        /** False for sequences and maps, which only the model's own tools can read. */
        @JsonIgnore
        public boolean isTensor() {
            return !Datatypes.SEQUENCE.equals(datatype) && !Datatypes.MAP.equals(datatype);
        }

        /** The last dimension (a row's width for {@code [batch, width]}), -1 if dynamic or a scalar. */
        public long width() {
            return shape.isEmpty() ? -1 : shape.get(shape.size() - 1);
        }

        /** The shape as ONNX Runtime wants it. */
        public long[] dims() {
            return shape.stream().mapToLong(Long::longValue).toArray();
        }
    }

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

    /** The input of that name, if the model has one. */
    public Optional<Tensor> input(String name) {
        return inputs.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    /** The output of that name, if the model has one. */
    public Optional<Tensor> output(String name) {
        return outputs.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    public List<String> inputNames() {
        return inputs.stream().map(Tensor::name).toList();
    }

    public List<String> outputNames() {
        return outputs.stream().map(Tensor::name).toList();
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
            return new Tensor(name, Datatypes.of(tensor.onnxType), shape);
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
