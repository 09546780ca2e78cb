package dev.lattice.models.onnx;

import static dev.lattice.models.examples.OnnxWriter.BATCH;
import static dev.lattice.models.examples.OnnxWriter.ElementType.BOOL;
import static dev.lattice.models.examples.OnnxWriter.ElementType.DOUBLE;
import static dev.lattice.models.examples.OnnxWriter.ElementType.FLOAT;
import static dev.lattice.models.examples.OnnxWriter.ElementType.INT32;
import static dev.lattice.models.examples.OnnxWriter.ElementType.INT64;
import static dev.lattice.models.examples.OnnxWriter.UNKNOWN;
import static dev.lattice.models.examples.OnnxWriter.attr;
import static dev.lattice.models.examples.OnnxWriter.in;
import static dev.lattice.models.examples.OnnxWriter.out;

import dev.lattice.models.examples.OnnxWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.LongStream;

/**
 * Tiny ONNX models for tests, written by {@link OnnxWriter} (there is no Python {@code onnx}
 * here): IR version 8, opset 13, a dynamic batch dimension unless fixed. Exported in the test-jar
 * for the model server's tests. Stateless.
 */
public final class TestModels {
    private TestModels() {}

    /**
     * A linear layer, {@code output = activation(input · weights + bias)}, input {@code [N, in]},
     * output {@code [N, out]}; the options below make the variants the tests need.
     *
     * @param activation null, "Softmax" or "Sigmoid"
     * @param logits     also output the pre-activation {@code logits} (a second output)
     * @param zipMap     also output {@code output_probability}, sklearn's ZipMap sequence of maps
     */
    public record Linear(String input, String output, float[][] weights, float[] bias, String activation,
                         boolean batchDynamic, boolean widthDynamic, boolean logits, boolean zipMap) {
        public static Linear of(float[][] weights, float[] bias) {
            return new Linear("features", "scores", weights, bias, null, true, false, false, false);
        }

        public Linear activation(String op) {
            return new Linear(input, output, weights, bias, op, batchDynamic, widthDynamic, logits, zipMap);
        }

        public Linear names(String in, String out) {
            return new Linear(in, out, weights, bias, activation, batchDynamic, widthDynamic, logits, zipMap);
        }

        /** Batch dimension fixed at 1 instead of {@code N}. */
        public Linear fixedBatch() {
            return new Linear(input, output, weights, bias, activation, false, widthDynamic, logits, zipMap);
        }

        /** The output's last dimension left unknown rather than a number. */
        public Linear dynamicWidth() {
            return new Linear(input, output, weights, bias, activation, batchDynamic, true, logits, zipMap);
        }

        public Linear withLogits() {
            return new Linear(input, output, weights, bias, activation, batchDynamic, widthDynamic, true, zipMap);
        }

        public Linear withZipMap() {
            return new Linear(input, output, weights, bias, activation, batchDynamic, widthDynamic, logits, true);
        }

        public byte[] bytes() {
            int width = weights.length;
            int classes = bias.length;
            long batch = batchDynamic ? BATCH : 1;
            String pre = activation == null ? output : "logits";
            OnnxWriter model = OnnxWriter.graph("linear")
                    .input(input, FLOAT, batch, width)
                    .initializer("W", flatten(weights), width, classes)
                    .initializer("B", bias, classes)
                    .node("MatMul", in(input, "W"), out("product"))
                    .node("Add", in("product", "B"), out(pre));
            if (activation != null) model.node(activation, in("logits"), out(output));
            model.output(output, FLOAT, batch, widthDynamic ? UNKNOWN : classes);
            if (logits && activation != null) model.output("logits", FLOAT, batch, classes);
            if (zipMap) {
                long[] labels = LongStream.range(0, classes).toArray();
                model.opset("ai.onnx.ml", 1)
                        .node("ai.onnx.ml", "ZipMap", in(output), out("output_probability"), attr("classlabels_int64s", labels))
                        .outputSequenceOfMaps("output_probability", INT64, FLOAT);
            }
            return model.toBytes();
        }

        public Path write(Path dir) {
            return TestModels.write(dir.resolve(output + "-" + input + ".onnx"), bytes());
        }
    }

    /**
     * Identity on one input of each V2 type a server must take: {@code f64 [N,2] FP64},
     * {@code i64 [N] INT64}, {@code i32 [N,2] INT32}, {@code flag [N] BOOL}; outputs {@code <name>_out}.
     */
    public static byte[] typed() {
        OnnxWriter model = OnnxWriter.graph("typed");
        identity(model, "f64", DOUBLE, BATCH, 2);
        identity(model, "i64", INT64, BATCH);
        identity(model, "i32", INT32, BATCH, 2);
        identity(model, "flag", BOOL, BATCH);
        return model.toBytes();
    }

    public static Path write(Path file, byte[] model) {
        try {
            Files.createDirectories(file.getParent());
            return Files.write(file, model);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void identity(OnnxWriter model, String name, OnnxWriter.ElementType type, long... dims) {
        model.input(name, type, dims).node("Identity", in(name), out(name + "_out")).output(name + "_out", type, dims);
    }

    private static float[] flatten(float[][] rows) {
        float[] flat = new float[rows.length * rows[0].length];
        for (int i = 0; i < rows.length; i++) System.arraycopy(rows[i], 0, flat, i * rows[0].length, rows[0].length);
        return flat;
    }
}
