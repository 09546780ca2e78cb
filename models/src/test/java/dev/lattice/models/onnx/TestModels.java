package dev.lattice.models.onnx;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Tiny ONNX models for tests, written as protobuf by hand (there is no Python {@code onnx} here):
 * IR version 8, opset 13, initializers as {@code float_data}, a {@code dim_param} for a dynamic
 * batch. Exported in the test-jar for the model server's tests. Stateless.
 */
public final class TestModels {
    private static final int FLOAT = 1;
    private static final int INT32 = 6;
    private static final int INT64 = 7;
    private static final int BOOL = 9;
    private static final int DOUBLE = 11;

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

        /** The output's last dimension declared as {@code classes} rather than a number. */
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
            int in = weights.length;
            int out = bias.length;
            Object batch = batchDynamic ? "N" : (Object) 1L;
            Proto graph = new Proto().string(2, "linear")
                    .message(5, floatTensor("W", new long[] {in, out}, flatten(weights)))
                    .message(5, floatTensor("B", new long[] {out}, bias))
                    .message(1, node("MatMul", List.of(input, "W"), "product"));
            String pre = activation == null ? output : "logits";
            graph.message(1, node("Add", List.of("product", "B"), pre));
            if (activation != null) graph.message(1, node(activation, List.of("logits"), output));
            graph.message(11, tensorValue(input, FLOAT, batch, (long) in));
            graph.message(12, tensorValue(output, FLOAT, batch, widthDynamic ? "classes" : (Object) (long) out));
            if (logits && activation != null) graph.message(12, tensorValue("logits", FLOAT, batch, (long) out));
            if (zipMap) {
                Proto labels = new Proto().string(1, "classlabels_int64s").varint(20, 7);
                for (int i = 0; i < out; i++) labels.varint(8, i);
                graph.message(1, node("ZipMap", List.of(output), "output_probability").message(5, labels).string(7, "ai.onnx.ml"));
                graph.message(12, new Proto().string(1, "output_probability").message(2, zipMapType()));
            }
            return model(graph, zipMap);
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
        Proto graph = new Proto().string(2, "typed");
        Object[][] inputs = {{"f64", DOUBLE, 2L}, {"i64", INT64, null}, {"i32", INT32, 2L}, {"flag", BOOL, null}};
        for (Object[] in : inputs) {
            String name = (String) in[0];
            int type = (Integer) in[1];
            Object[] dims = in[2] == null ? new Object[] {"N"} : new Object[] {"N", in[2]};
            graph.message(1, node("Identity", List.of(name), name + "_out"));
            graph.message(11, tensorValue(name, type, dims));
            graph.message(12, tensorValue(name + "_out", type, dims));
        }
        return model(graph, false);
    }

    public static Path write(Path file, byte[] model) {
        try {
            Files.createDirectories(file.getParent());
            return Files.write(file, model);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] model(Proto graph, boolean ml) {
        Proto model = new Proto().varint(1, 8).string(2, "lattice-tests").message(7, graph)
                .message(8, new Proto().string(1, "").varint(2, 13));
        if (ml) model.message(8, new Proto().string(1, "ai.onnx.ml").varint(2, 1));
        return model.toByteArray();
    }

    private static Proto node(String op, List<String> inputs, String output) {
        Proto node = new Proto();
        inputs.forEach(i -> node.string(1, i));
        return node.string(2, output).string(3, op + "_" + output).string(4, op);
    }

    private static Proto floatTensor(String name, long[] dims, float[] values) {
        Proto tensor = new Proto();
        for (long d : dims) tensor.varint(1, d);
        return tensor.varint(2, FLOAT).floats(4, values).string(8, name);
    }

    /** A ValueInfoProto of a tensor; each dimension a Long (dim_value) or a String (dim_param). */
    private static Proto tensorValue(String name, int elemType, Object... dims) {
        Proto shape = new Proto();
        for (Object d : dims) {
            shape.message(1, d instanceof String param ? new Proto().string(2, param) : new Proto().varint(1, (Long) d));
        }
        Proto tensorType = new Proto().varint(1, elemType).message(2, shape);
        return new Proto().string(1, name).message(2, new Proto().message(1, tensorType));
    }

    /** seq(map(int64, tensor(float))), what skl2onnx declares for ZipMap. */
    private static Proto zipMapType() {
        Proto value = new Proto().message(1, new Proto().varint(1, FLOAT));
        Proto map = new Proto().varint(1, INT64).message(2, value);
        Proto sequence = new Proto().message(1, new Proto().message(5, map));
        return new Proto().message(4, sequence);
    }

    private static float[] flatten(float[][] rows) {
        float[] flat = new float[rows.length * rows[0].length];
        for (int i = 0; i < rows.length; i++) System.arraycopy(rows[i], 0, flat, i * rows[0].length, rows[0].length);
        return flat;
    }

    /** Protobuf wire format, just what ONNX needs: varints, length-delimited fields, packed floats. */
    static final class Proto {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Proto varint(int field, long value) {
            tag(field, 0);
            raw(value);
            return this;
        }

        Proto string(int field, String value) {
            return bytes(field, value.getBytes(StandardCharsets.UTF_8));
        }

        Proto message(int field, Proto message) {
            return bytes(field, message.toByteArray());
        }

        Proto floats(int field, float[] values) {
            tag(field, 2);
            raw(values.length * 4L);
            for (float v : values) {
                int bits = Float.floatToIntBits(v);
                for (int i = 0; i < 4; i++) out.write(bits >>> (8 * i));
            }
            return this;
        }

        byte[] toByteArray() {
            return out.toByteArray();
        }

        private Proto bytes(int field, byte[] value) {
            tag(field, 2);
            raw(value.length);
            out.writeBytes(value);
            return this;
        }

        private void tag(int field, int wireType) {
            raw((long) field << 3 | wireType);
        }

        private void raw(long value) {
            while ((value & ~0x7FL) != 0) {
                out.write((int) ((value & 0x7F) | 0x80));
                value >>>= 7;
            }
            out.write((int) value);
        }
    }
}
