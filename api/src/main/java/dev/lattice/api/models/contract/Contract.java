package dev.lattice.api.models.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.lattice.api.models.Datatypes;
import dev.lattice.api.models.ModelSignature;
import dev.lattice.core.LatticeException;
import java.util.List;
import java.util.Objects;

/**
 * A model contract (API.md "Model contracts"): how a JSON request becomes rows of the model's
 * input and how the model's output rows become the JSON answer. Declarative, so no uploaded
 * code ever runs; interpreting it costs microseconds.
 *
 * <p>Its life: {@link #parse} at upload (400 on any mistake, naming the place), {@link #check}
 * against the model's {@link ModelSignature} (400 on a mismatch), {@link #toJson()} to hand it to
 * the model server in an environment variable, then per request {@link #rows} and {@link #answer}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param preprocess  request to rows
 * @param postprocess output rows to the answer; {@link Postprocess#RAW} when the text leaves it out
 */
public record Contract(Preprocess preprocess, Postprocess postprocess) {
    /** A contract that cannot be read or is inconsistent in itself. */
    public static final String INVALID = "models:contract.invalid";
    /** A contract that does not fit its model. */
    public static final String MISMATCH = "models:contract.mismatch";
    /** A predict request the contract cannot turn into rows. */
    public static final String REQUEST = "models:predict.invalid";
    /** The largest contract text, in UTF-8 bytes; its normalised JSON must fit in as many characters. */
    public static final int MAX_BYTES = 32 * 1024;
    /** The most objects one predict request may carry. */
    public static final int MAX_ROWS = 10_000;

    public Contract {
        if (preprocess == null) throw invalid("preprocess is required");
        if (postprocess == null) postprocess = Postprocess.RAW;
    }

    /**
     * Reads a contract written in YAML or JSON; unknown keys, wrong types and inconsistencies are
     * refused rather than ignored, so that a typo cannot silently change what a model is fed.
     *
     * @throws LatticeException 400 {@code models:contract.invalid}, e.g.
     *         {@code contract: preprocess.scale.age.std must not be 0}
     */
    public static Contract parse(String text) {
        return ContractJson.read(text);
    }

    /** The normalised JSON form (at most {@link #MAX_BYTES} characters) that {@link #parse} reads back equal. */
    public String toJson() {
        return ContractJson.write(this);
    }

    /**
     * Checks that the contract fits the model: the tensors exist (or the model has just one),
     * the input is the model's only one and holds numbers in {@code [rows, columns]}, {@code fields} match the input's width
     * and {@code labels} (1 for a threshold) the output's. A width the model leaves unknown is
     * not checked.
     *
     * @throws LatticeException 400 {@code models:contract.mismatch}, e.g. {@code contract:
     *         preprocess.fields has 3 names but input 'features' of the model has 4 columns}
     */
    public void check(ModelSignature model) {
        ModelSignature.Tensor input = preprocess.inputOf(model);
        String in = "input '" + input.name() + "' of the model";
        List<String> others = model.inputNames().stream().filter(name -> !name.equals(input.name())).toList();
        if (!others.isEmpty()) {
            throw mismatch("the model also takes inputs " + others + ", which a contract cannot fill (it fills '" + input.name() + "' only)");
        }
        if (!Datatypes.isNumeric(input.datatype())) {
            throw mismatch(in + " holds " + input.datatype() + "; a contract fills FP32, FP64, INT64 or INT32");
        }
        if (input.shape().size() != 2) throw mismatch(in + " has shape " + input.shape() + "; a contract fills [rows, columns]");
        long batch = input.shape().get(0);
        if (batch != -1 && batch != 1) {
            throw mismatch(in + " takes exactly " + batch + " rows; a contract needs a dynamic batch or 1 row");
        }
        int fields = preprocess.fields().size();
        if (input.width() != -1 && input.width() != fields) {
            throw mismatch("preprocess.fields has " + fields + " names but " + in + " has " + input.width() + " columns");
        }
        ModelSignature.Tensor output = postprocess.outputOf(model);
        String out = "output '" + output.name() + "' of the model";
        if (output.shape().isEmpty() || output.shape().size() > 2) {
            throw mismatch(out + " has shape " + output.shape() + "; a contract reads [rows] or [rows, columns]");
        }
        long width = output.shape().size() == 1 ? 1 : output.width();
        if (width == -1) return;
        if (postprocess.threshold() != null && width != 1) {
            throw mismatch("postprocess.threshold needs a one-column output but " + out + " has " + width + " columns");
        }
        if (postprocess.labels() != null && width != postprocess.labels().size()) {
            throw mismatch("postprocess.labels has " + postprocess.labels().size() + " names but " + out + " has " + width + " columns");
        }
    }

    /**
     * Turns a request body (one object, or a non-empty array of at most {@link #MAX_ROWS} objects)
     * into rows. Fields the contract does not name are ignored.
     *
     * @throws LatticeException 400 {@code models:predict.invalid} naming the field, e.g. {@code
     *         missing field 'age'}, {@code field 'sex': 'x' is not one of [male, female]} or, in an
     *         array, {@code [2].age: a number, not "abc"}
     */
    public Rows rows(JsonNode body) {
        if (body != null && body.isObject()) return new Rows(new double[][] {preprocess.row(body, -1)}, true);
        if (body == null || !body.isArray() || body.isEmpty()) {
            throw request("body: one JSON object, or a non-empty array of them, is required");
        }
        if (body.size() > MAX_ROWS) {
            throw request("body: " + body.size() + " objects is more than the limit of " + MAX_ROWS + " per request");
        }
        double[][] rows = new double[body.size()][];
        for (int i = 0; i < rows.length; i++) {
            JsonNode item = body.get(i);
            if (!item.isObject()) throw request("[" + i + "]: a JSON object is required, not " + item.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
            rows[i] = preprocess.row(item, i);
        }
        return new Rows(rows, false);
    }

    /**
     * Turns the model's output rows, one per request row and in the same order, into the answer:
     * one object for a single request object, else an array. Outputs are FP32 rows because that
     * is what nearly every model gives; other numeric outputs are narrowed by the caller.
     */
    public JsonNode answer(float[][] outputs, boolean single) {
        if (single) return postprocess.answer(outputs[0]);
        ArrayNode answers = JsonNodeFactory.instance.arrayNode(outputs.length);
        for (float[] row : outputs) answers.add(postprocess.answer(row));
        return answers;
    }

    static LatticeException invalid(String detail) {
        return LatticeException.badRequest(INVALID, "contract: " + detail);
    }

    static LatticeException mismatch(String detail) {
        return LatticeException.badRequest(MISMATCH, "contract: " + detail);
    }

    static LatticeException request(String detail) {
        return LatticeException.badRequest(REQUEST, Objects.requireNonNull(detail));
    }
}
