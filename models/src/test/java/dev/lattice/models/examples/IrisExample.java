package dev.lattice.models.examples;

import static dev.lattice.models.examples.OnnxWriter.BATCH;
import static dev.lattice.models.examples.OnnxWriter.ElementType.FLOAT;
import static dev.lattice.models.examples.OnnxWriter.in;
import static dev.lattice.models.examples.OnnxWriter.out;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code iris} example: a softmax regression of the Iris species on the four measurements,
 * in two versions that differ only in training length, so that a version upgrade changes the
 * answers visibly (version 2 is more confident).
 *
 * <p>The ONNX graph is {@code features [batch,4] → MatMul W[4,3] → Add b[3] → scores [batch,3]}:
 * it gives logits; the contract standardises the request and applies the softmax.
 */
final class IrisExample {
    /** Gradient-descent steps of version 1 and version 2. */
    static final int V1_ITERATIONS = 200;
    static final int V2_ITERATIONS = 2000;
    static final double LEARNING_RATE = 0.5;
    /** Rows (0-based) shown in the README: one versicolor alone, then a setosa and a virginica. */
    static final int SINGLE_ROW = 50;
    static final List<Integer> BATCH_ROWS = List.of(0, 100);

    private static final int SCALE_DECIMALS = 4;

    private final IrisData data;
    private final Standardiser standardiser;
    private final SoftmaxRegression v1;
    private final SoftmaxRegression v2;

    private IrisExample(IrisData data, Standardiser standardiser, SoftmaxRegression v1,
            SoftmaxRegression v2) {
        this.data = data;
        this.standardiser = standardiser;
        this.v1 = v1;
        this.v2 = v2;
    }

    /** Loads the data and trains both versions (a few tens of milliseconds). */
    static IrisExample train() {
        IrisData data = IrisData.load();
        Standardiser standardiser = Standardiser.fit(data.rows(), SCALE_DECIMALS);
        double[][] scaled = standardiser.apply(data.rows());
        int classes = IrisData.SPECIES.size();
        return new IrisExample(data, standardiser,
                SoftmaxRegression.train(scaled, data.species(), classes, V1_ITERATIONS, LEARNING_RATE),
                SoftmaxRegression.train(scaled, data.species(), classes, V2_ITERATIONS, LEARNING_RATE));
    }

    /** The files under {@code iris/}, by path relative to the examples folder. */
    Map<String, byte[]> files() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("iris/iris.csv", utf8(data.csv()));
        files.put("iris/model.onnx", model(v1));
        files.put("iris/model-v2.onnx", model(v2));
        files.put("iris/contract.yaml", utf8(contract()));
        files.put("iris/contract.py", utf8(pythonContract()));
        files.put("iris/config.yaml", utf8(Text.config("iris", "1", 2)));
        files.put("iris/config-v2.yaml", utf8(Text.config("iris", "2", 2)));
        return files;
    }

    /** Training accuracy of a version (1 or 2) on all 150 rows. */
    double accuracy(int version) {
        return version(version).accuracy(standardiser.apply(data.rows()), data.species());
    }

    /**
     * The probabilities the platform answers for a row of measurements, computed as ONNX Runtime
     * does: standardised, then as float32 through the model, then softmax.
     */
    double[] probabilities(int version, double[] measurements) {
        SoftmaxRegression model = version(version);
        float[] weights = model.weightsAsFloats();
        float[] bias = model.biasAsFloats();
        double[] scaled = standardiser.apply(measurements);
        double[] scores = new double[bias.length];
        for (int k = 0; k < bias.length; k++) {
            float score = 0;
            for (int j = 0; j < scaled.length; j++) {
                score += (float) scaled[j] * weights[j * bias.length + k];
            }
            scores[k] = score + bias[k];
        }
        return SoftmaxRegression.softmax(scores);
    }

    /** The measurements of one data row, for examples and tests. */
    double[] row(int index) {
        return data.rows()[index];
    }

    /** The README's placeholders for this model. */
    Map<String, String> readme() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("iris.v1.iterations", Integer.toString(V1_ITERATIONS));
        values.put("iris.v2.iterations", Integer.toString(V2_ITERATIONS));
        values.put("iris.rate", Text.number(LEARNING_RATE, 3));
        values.put("iris.v1.accuracy", Text.fixed(100 * accuracy(1), 1));
        values.put("iris.v2.accuracy", Text.fixed(100 * accuracy(2), 1));
        values.put("iris.contract", contract().strip());
        values.put("iris.request", request(SINGLE_ROW));
        values.put("iris.answer.v1", answer(1, SINGLE_ROW));
        values.put("iris.answer.v2", answer(2, SINGLE_ROW));
        List<String> requests = new ArrayList<>();
        List<String> answers = new ArrayList<>();
        for (int row : BATCH_ROWS) {
            requests.add(request(row));
            answers.add(answer(1, row));
        }
        values.put("iris.batch.request", "[" + String.join(",\n ", requests) + "]");
        values.put("iris.batch.answer", "[" + String.join(",\n ", answers) + "]");
        return values;
    }

    private String request(int row) {
        List<String> values = new ArrayList<>();
        for (double value : row(row)) {
            values.add(Text.fixed(value, 1));
        }
        return Text.jsonObject(IrisData.FIELDS, values);
    }

    private String answer(int version, int row) {
        double[] probabilities = probabilities(version, row(row));
        List<String> values = new ArrayList<>();
        for (double probability : probabilities) {
            values.add(Text.fixed(probability, 4));
        }
        String label = IrisData.SPECIES.get(SoftmaxRegression.argmax(probabilities));
        return "{\"label\": \"" + label + "\", \"probabilities\": "
                + Text.jsonObject(IrisData.SPECIES, values) + "}";
    }

    private String contract() {
        return "# Iris species from four flower measurements (cm). Written by ExampleModels.\n"
                + "preprocess:\n"
                + "  input: features\n"
                + "  fields: " + Text.list(IrisData.FIELDS) + "\n"
                + Text.scale(IrisData.FIELDS, standardiser, SCALE_DECIMALS)
                + "postprocess:\n"
                + "  output: scores\n"
                + "  softmax: true\n"
                + "  labels: " + Text.list(IrisData.SPECIES) + "\n"
                + "  probabilities: true\n";
    }

    /** The same contract in Python (API.md "Python contracts"): bench/inference serves the model with each. */
    private String pythonContract() {
        java.util.function.Function<double[], String> array = values -> java.util.stream.DoubleStream.of(values)
                .mapToObj(v -> Text.number(v, SCALE_DECIMALS)).collect(java.util.stream.Collectors.joining(", ", "[", "]"));
        return "# Iris species from four flower measurements (cm): contract.yaml in Python. Written by ExampleModels.\n"
                + "import numpy as np\n\n"
                + "FIELDS = " + Text.list(IrisData.FIELDS).replace("[", "[\"").replace(", ", "\", \"").replace("]", "\"]") + "\n"
                + "MEAN = np.array(" + array.apply(standardiser.means()) + ")\n"
                + "STD = np.array(" + array.apply(standardiser.stds()) + ")\n"
                + "LABELS = " + Text.list(IrisData.SPECIES).replace("[", "[\"").replace(", ", "\", \"").replace("]", "\"]") + "\n\n\n"
                + "def preprocess(request):\n"
                + "    row = np.array([float(request[f]) for f in FIELDS])\n"
                + "    return {\"features\": ((row - MEAN) / STD)[np.newaxis, :]}\n\n\n"
                + "def postprocess(outputs, request):\n"
                + "    scores = outputs[\"scores\"][0]\n"
                + "    e = np.exp(scores - scores.max())\n"
                + "    p = e / e.sum()\n"
                + "    return {\"label\": LABELS[int(p.argmax())], \"probabilities\": {k: float(v) for k, v in zip(LABELS, p)}}\n";
    }

    private static byte[] model(SoftmaxRegression model) {
        int width = IrisData.FIELDS.size();
        int classes = IrisData.SPECIES.size();
        return OnnxWriter.graph("iris")
                .input("features", FLOAT, BATCH, width)
                .initializer("W", model.weightsAsFloats(), width, classes)
                .initializer("b", model.biasAsFloats(), classes)
                .node("MatMul", in("features", "W"), out("xw"))
                .node("Add", in("xw", "b"), out("scores"))
                .output("scores", FLOAT, BATCH, classes)
                .toBytes();
    }

    private SoftmaxRegression version(int version) {
        return switch (version) {
            case 1 -> v1;
            case 2 -> v2;
            default -> throw new IllegalArgumentException("iris has versions 1 and 2, not " + version);
        };
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
