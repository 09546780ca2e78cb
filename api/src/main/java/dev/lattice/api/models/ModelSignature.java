package dev.lattice.api.models;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;
import java.util.Optional;

/**
 * What a model takes and gives: its input and output tensors, in the model's order, with V2
 * datatype names and shapes ({@code -1} for a dynamic dimension).
 *
 * <p>An output whose last dimension the file leaves dynamic has it measured by running the model
 * once on zeros (see {@code models.onnx.ModelSignatures}), because a contract's labels are checked against that width.
 * Immutable.
 *
 * @param inputs  the model's inputs
 * @param outputs the model's outputs; a non-tensor output has datatype {@code SEQUENCE} or
 *                {@code MAP} and an empty shape
 */
public record ModelSignature(List<Tensor> inputs, List<Tensor> outputs) {
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
}
