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
 * The {@code anomaly} example: a logistic regression that scores a machine reading
 * (temperature, vibration, current) between 0 (normal) and 1 (anomalous); the contract turns
 * the score into a label with a threshold and fills in a missing current.
 *
 * <p>The ONNX graph is {@code reading [batch,3] → MatMul w[3,1] → Add b[1] → Sigmoid →
 * score [batch,1]}, trained on {@link SensorReadings} with a fixed seed.
 */
final class AnomalyExample {
    static final long SEED = 42;
    static final int NORMAL_READINGS = 400;
    static final int ANOMALOUS_READINGS = 100;
    static final int ITERATIONS = 1000;
    static final double LEARNING_RATE = 0.5;
    static final double THRESHOLD = 0.5;
    /** The field a request may leave out; the contract fills in its training mean. */
    static final int IMPUTED_FIELD = 2;
    /** Readings shown in the README: a normal one, an anomalous one, one without current. */
    private static final List<double[]> EXAMPLES = List.of(
            new double[] {61.5, 2.2, 10.4},
            new double[] {82.0, 6.1, 14.2},
            new double[] {74.0, 4.5, Double.NaN});

    private static final int SCALE_DECIMALS = 2;
    private static final List<String> FIELDS = List.of(SensorReadings.FIELDS);
    private static final List<String> LABELS = List.of("normal", "anomaly");

    private final SensorReadings data;
    private final Standardiser standardiser;
    private final LogisticRegression model;

    private AnomalyExample(SensorReadings data, Standardiser standardiser, LogisticRegression model) {
        this.data = data;
        this.standardiser = standardiser;
        this.model = model;
    }

    /** Generates the readings and trains the model. */
    static AnomalyExample train() {
        SensorReadings data = SensorReadings.generate(SEED, NORMAL_READINGS, ANOMALOUS_READINGS);
        Standardiser standardiser = Standardiser.fit(data.rows(), SCALE_DECIMALS);
        LogisticRegression model = LogisticRegression.train(standardiser.apply(data.rows()),
                data.anomalous(), ITERATIONS, LEARNING_RATE);
        return new AnomalyExample(data, standardiser, model);
    }

    /** The files under {@code anomaly/}, by path relative to the examples folder. */
    Map<String, byte[]> files() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("anomaly/model.onnx", model());
        files.put("anomaly/contract.yaml", utf8(contract()));
        files.put("anomaly/config.yaml", utf8(Text.config("anomaly", "1", 1)));
        return files;
    }

    /** Training accuracy at the contract's threshold. */
    double accuracy() {
        return model.accuracy(standardiser.apply(data.rows()), data.anomalous(), THRESHOLD);
    }

    /** The value the contract imputes for {@link #IMPUTED_FIELD}. */
    double imputed() {
        return standardiser.means()[IMPUTED_FIELD];
    }

    /**
     * The model's score for a reading as the platform computes it: a NaN field imputed,
     * standardised, then as float32 through the model.
     */
    double score(double[] reading) {
        double[] filled = reading.clone();
        if (Double.isNaN(filled[IMPUTED_FIELD])) {
            filled[IMPUTED_FIELD] = imputed();
        }
        double[] scaled = standardiser.apply(filled);
        float[] weights = model.weightsAsFloats();
        float sum = 0;
        for (int j = 0; j < scaled.length; j++) {
            sum += (float) scaled[j] * weights[j];
        }
        return 1 / (1 + StrictMath.exp(-(sum + (float) model.bias())));
    }

    /** The README's example readings, NaN where the request leaves the field out. */
    static List<double[]> examples() {
        return EXAMPLES.stream().map(double[]::clone).toList();
    }

    /** The label the contract gives a score. */
    static String label(double score) {
        return LABELS.get(score < THRESHOLD ? 0 : 1);
    }

    /** The README's placeholders for this model. */
    Map<String, String> readme() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("anomaly.seed", Long.toString(SEED));
        values.put("anomaly.normal", Integer.toString(NORMAL_READINGS));
        values.put("anomaly.anomalous", Integer.toString(ANOMALOUS_READINGS));
        values.put("anomaly.iterations", Integer.toString(ITERATIONS));
        values.put("anomaly.rate", Text.number(LEARNING_RATE, 3));
        values.put("anomaly.accuracy", Text.fixed(100 * accuracy(), 1));
        values.put("anomaly.contract", contract().strip());
        values.put("anomaly.imputed", Text.number(imputed(), SCALE_DECIMALS));
        for (int i = 0; i < EXAMPLES.size(); i++) {
            double score = score(EXAMPLES.get(i));
            values.put("anomaly.request." + i, request(EXAMPLES.get(i)));
            values.put("anomaly.answer." + i, "{\"label\": \"" + label(score) + "\"}");
            values.put("anomaly.score." + i, Text.fixed(score, 4));
        }
        return values;
    }

    private static String request(double[] reading) {
        List<String> names = new ArrayList<>();
        List<String> values = new ArrayList<>();
        for (int j = 0; j < reading.length; j++) {
            if (!Double.isNaN(reading[j])) {
                names.add(FIELDS.get(j));
                values.add(Text.fixed(reading[j], 1));
            }
        }
        return Text.jsonObject(names, values);
    }

    private String contract() {
        return "# Machine reading -> normal or anomaly. Written by ExampleModels.\n"
                + "preprocess:\n"
                + "  input: reading\n"
                + "  fields: " + Text.list(FIELDS) + "\n"
                + "  impute:\n"
                + "    " + FIELDS.get(IMPUTED_FIELD) + ": "
                + Text.number(imputed(), SCALE_DECIMALS) + "\n"
                + Text.scale(FIELDS, standardiser, SCALE_DECIMALS)
                + "postprocess:\n"
                + "  output: score\n"
                + "  threshold:\n"
                + "    value: " + Text.number(THRESHOLD, 3) + "\n"
                + "    labels: " + Text.list(LABELS) + "\n";
    }

    private byte[] model() {
        int width = FIELDS.size();
        return OnnxWriter.graph("anomaly")
                .input("reading", FLOAT, BATCH, width)
                .initializer("w", model.weightsAsFloats(), width, 1)
                .initializer("b", new float[] {(float) model.bias()}, 1)
                .node("MatMul", in("reading", "w"), out("xw"))
                .node("Add", in("xw", "b"), out("logit"))
                .node("Sigmoid", in("logit"), out("score"))
                .output("score", FLOAT, BATCH, 1)
                .toBytes();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
