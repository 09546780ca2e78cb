package dev.lattice.api.models.contract;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lattice.api.models.Datatypes;
import dev.lattice.api.models.ModelSignature;
import dev.lattice.core.LatticeException;
import java.util.HashSet;
import java.util.List;

/**
 * How one row of the model's output becomes the JSON answer:
 * <ul>
 *   <li>with {@code labels}: {@code {"label": labels[argmax]}}, plus {@code "probabilities":
 *       {label: value}} when asked;</li>
 *   <li>with {@code threshold} (a one-column output): {@code {"label", "score"}}, the label by the
 *       threshold rule and the score the row's value;</li>
 *   <li>otherwise {@code {"outputs": [...]}}, the row as it is.</li>
 * </ul>
 * {@code softmax} is applied to the row first when asked. Immutable.
 *
 * @param output        the model output to read, or null when the model has one output
 * @param softmax       apply softmax to the row first
 * @param labels        one per output column, or null
 * @param probabilities answer the row's values by label too (needs {@code labels})
 * @param threshold     the rule for a one-column output, or null
 * @throws LatticeException 400 {@code models:contract.invalid} naming the place of the mistake
 */
public record Postprocess(String output, boolean softmax, List<String> labels, boolean probabilities, Threshold threshold) {
    /** Raw outputs from the model's only output: what a contract without {@code postprocess} means. */
    public static final Postprocess RAW = new Postprocess(null, false, null, false, null);

    public Postprocess {
        if (output != null && output.isBlank()) throw Contract.invalid("postprocess.output must not be empty");
        if (labels != null) labels = checkLabels(labels);
        if (threshold != null && labels != null) {
            throw Contract.invalid("postprocess.threshold and postprocess.labels cannot both be given: the threshold has its own two labels");
        }
        if (probabilities && labels == null) throw Contract.invalid("postprocess.probabilities needs postprocess.labels to name them");
        if (softmax && threshold != null) {
            throw Contract.invalid("postprocess.softmax cannot go with postprocess.threshold: the softmax of one column is always 1");
        }
    }

    /** The model output this reads: the named one, or the model's only output; always a tensor. */
    public ModelSignature.Tensor outputOf(ModelSignature model) {
        ModelSignature.Tensor tensor;
        if (output != null) {
            tensor = model.output(output).orElseThrow(() -> Contract.mismatch(
                    "postprocess.output '" + output + "' is not an output of the model; its outputs: " + model.outputNames()));
        } else if (model.outputs().size() == 1) {
            tensor = model.outputs().get(0);
        } else {
            throw Contract.mismatch("the model has " + model.outputs().size() + " outputs " + model.outputNames()
                    + ": name one in postprocess.output");
        }
        if (!tensor.isTensor()) {
            List<String> tensors = model.outputs().stream().filter(ModelSignature.Tensor::isTensor).map(ModelSignature.Tensor::name).toList();
            throw Contract.mismatch("output '" + tensor.name() + "' of the model is a " + tensor.datatype()
                    + ", not a tensor; name a tensor output in postprocess.output (tensor outputs: " + tensors + ")");
        }
        if (!Datatypes.isNumeric(tensor.datatype()) && !Datatypes.BOOL.equals(tensor.datatype())) {
            throw Contract.mismatch("output '" + tensor.name() + "' of the model holds " + tensor.datatype() + "; a contract reads numbers");
        }
        return tensor;
    }

    /** The number of columns the contract expects, or -1 when any width will do (raw outputs). */
    int expectedWidth() {
        if (threshold != null) return 1;
        return labels == null ? -1 : labels.size();
    }

    /**
     * One output row as the answer.
     *
     * @throws LatticeException 500 when the model answered a row of another width than the labels
     *         (possible only when the width could not be measured at upload)
     */
    ObjectNode answer(float[] row) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        int expected = expectedWidth();
        if (expected >= 0 && row.length != expected) {
            throw new LatticeException(Contract.MISMATCH, 500, "the model answered a row of " + row.length
                    + " values but the contract expects " + expected);
        }
        float[] values = softmax ? softmax(row) : row;
        if (threshold != null) {
            node.put("label", threshold.label(values[0]));
            node.put("score", values[0]);
        } else if (labels != null) {
            node.put("label", labels.get(argmax(values)));
            if (probabilities) {
                ObjectNode byLabel = node.putObject("probabilities");
                for (int i = 0; i < values.length; i++) byLabel.put(labels.get(i), values[i]);
            }
        } else {
            var outputs = node.putArray("outputs");
            for (float v : values) outputs.add(v);
        }
        return node;
    }

    /** Softmax in double precision, shifted by the maximum so that large logits do not overflow. */
    static float[] softmax(float[] row) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : row) max = Math.max(max, v);
        double[] e = new double[row.length];
        double sum = 0;
        for (int i = 0; i < row.length; i++) {
            e[i] = Math.exp(row[i] - max);
            sum += e[i];
        }
        float[] out = new float[row.length];
        for (int i = 0; i < row.length; i++) out[i] = (float) (e[i] / sum);
        return out;
    }

    private static int argmax(float[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
        return best;
    }

    private static List<String> checkLabels(List<String> labels) {
        if (labels.isEmpty()) throw Contract.invalid("postprocess.labels must name at least one label");
        var seen = new HashSet<String>();
        for (int i = 0; i < labels.size(); i++) {
            String label = labels.get(i);
            if (label == null || label.isBlank()) throw Contract.invalid("postprocess.labels[" + i + "] must not be empty");
            if (!seen.add(label)) throw Contract.invalid("postprocess.labels names '" + label + "' twice");
        }
        return List.copyOf(labels);
    }
}
