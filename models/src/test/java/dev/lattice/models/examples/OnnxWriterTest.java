package dev.lattice.models.examples;

import static dev.lattice.models.examples.OnnxWriter.BATCH;
import static dev.lattice.models.examples.OnnxWriter.ElementType.BOOL;
import static dev.lattice.models.examples.OnnxWriter.ElementType.FLOAT;
import static dev.lattice.models.examples.OnnxWriter.ElementType.INT32;
import static dev.lattice.models.examples.OnnxWriter.ElementType.INT64;
import static dev.lattice.models.examples.OnnxWriter.UNKNOWN;
import static dev.lattice.models.examples.OnnxWriter.attr;
import static dev.lattice.models.examples.OnnxWriter.in;
import static dev.lattice.models.examples.OnnxWriter.out;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxMap;
import ai.onnxruntime.OnnxSequence;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.SequenceInfo;
import ai.onnxruntime.TensorInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxWriterTest {
    // y = x · W + b with W = [[1, 2], [3, 4], [5, 6]] and b = [0.5, -1]
    private static final float[] W = {1, 2, 3, 4, 5, 6};
    private static final float[] B = {0.5f, -1};

    private static OnnxWriter affine() {
        return OnnxWriter.graph("affine")
                .input("x", FLOAT, BATCH, 3)
                .initializer("W", W, 3, 2)
                .initializer("b", B, 2)
                .node("MatMul", in("x", "W"), out("xw"))
                .node("Add", in("xw", "b"), out("y"))
                .output("y", FLOAT, BATCH, 2);
    }

    @Test
    void twoOpGraphComputesWhatItSaysInOnnxRuntime() throws Exception {
        float[][] y = Ort.run(affine().toBytes(), new float[][] {{1, 0, -2}});

        // 1·1 + 0·3 − 2·5 + 0.5 = −8.5 ; 1·2 + 0·4 − 2·6 − 1 = −11
        assertThat(y).isDeepEqualTo(new float[][] {{-8.5f, -11}});
    }

    @Test
    void batchDimensionTakesAnyNumberOfRows() throws Exception {
        float[][] y = Ort.run(affine().toBytes(), new float[][] {{0, 0, 0}, {1, 1, 1}, {2, -1, 0.5f}});

        assertThat(y).isDeepEqualTo(new float[][] {{0.5f, -1}, {9.5f, 11}, {2, 2}});
        assertThat(Ort.shapes(affine().toBytes()))
                .hasEntrySatisfying("x", shape -> assertThat(shape).containsExactly(-1, 3))
                .hasEntrySatisfying("y", shape -> assertThat(shape).containsExactly(-1, 2));
    }

    @Test
    void intFloatAndIntsAttributesReachTheOperators() throws Exception {
        byte[] model = OnnxWriter.graph("attributes")
                .input("x", FLOAT, 2, 3)
                .node("Transpose", in("x"), out("t"), attr("perm", new long[] {1, 0}))
                .node("LeakyRelu", in("t"), out("r"), attr("alpha", 0.5f))
                .node("Softmax", in("r"), out("p"), attr("axis", -1))
                .output("p", FLOAT, 3, 2)
                .toBytes();

        float[][] p = Ort.run(model, new float[][] {{1, -2, 0}, {1, 2, -4}});

        // columns of x become rows; negatives halved (−2 → −1, −4 → −2); softmax per row
        assertThat(p[0][0]).isCloseTo(0.5f, within(1e-6f));
        assertThat(p[1][0]).isCloseTo(softmaxFirst(-1, 2), within(1e-6f));
        assertThat(p[2][0]).isCloseTo(softmaxFirst(0, -2), within(1e-6f));
    }

    @Test
    void inputsOfDifferentTypesIncludingInt32AndBoolReachOnnxRuntime() throws Exception {
        byte[] model = OnnxWriter.graph("typed")
                .input("i32", INT32, BATCH, 2)
                .input("flag", BOOL, BATCH)
                .node("Identity", in("i32"), out("i32_out"))
                .node("Identity", in("flag"), out("flag_out"))
                .output("i32_out", INT32, BATCH, 2)
                .output("flag_out", BOOL, BATCH)
                .toBytes();
        OrtEnvironment env = Ort.environment();

        try (OrtSession session = env.createSession(model);
                OnnxTensor ints = OnnxTensor.createTensor(env, new int[][] {{Integer.MAX_VALUE, -1}});
                OnnxTensor flags = OnnxTensor.createTensor(env, new boolean[] {true, false});
                OrtSession.Result result = session.run(Map.of("i32", ints, "flag", flags))) {
            assertThat(session.getInputNames()).containsExactly("i32", "flag");
            assertThat(((TensorInfo) session.getInputInfo().get("i32").getInfo()).type)
                    .isEqualTo(OnnxJavaType.INT32);
            assertThat(((TensorInfo) session.getInputInfo().get("flag").getInfo()).type)
                    .isEqualTo(OnnxJavaType.BOOL);
            assertThat((int[][]) result.get("i32_out").orElseThrow().getValue())
                    .isDeepEqualTo(new int[][] {{Integer.MAX_VALUE, -1}});
            assertThat((boolean[]) result.get("flag_out").orElseThrow().getValue())
                    .containsExactly(true, false);
        }
    }

    @Test
    void zipMapOfAnImportedOpsetGivesOneMapPerRow() throws Exception {
        byte[] model = OnnxWriter.graph("zipmap")
                .opset("ai.onnx.ml", 1)
                .input("p", FLOAT, BATCH, 2)
                .node("ai.onnx.ml", "ZipMap", in("p"), out("maps"),
                        attr("classlabels_int64s", new long[] {10, 20}))
                .outputSequenceOfMaps("maps", INT64, FLOAT)
                .toBytes();
        OrtEnvironment env = Ort.environment();

        try (OrtSession session = env.createSession(model);
                OnnxTensor p = OnnxTensor.createTensor(env, new float[][] {{0.25f, 0.75f}, {1, 0}});
                OrtSession.Result result = session.run(Map.of("p", p))) {
            SequenceInfo info = (SequenceInfo) session.getOutputInfo().get("maps").getInfo();
            assertThat(info.isSequenceOfMaps()).isTrue();
            assertThat(info.mapInfo.keyType).isEqualTo(OnnxJavaType.INT64);
            assertThat(info.mapInfo.valueType).isEqualTo(OnnxJavaType.FLOAT);
            List<Object> rows = new ArrayList<>();
            for (Object map : ((OnnxSequence) result.get(0)).getValue()) {
                rows.add(((OnnxMap) map).getValue());
            }
            assertThat(rows).containsExactly(Map.of(10L, 0.25f, 20L, 0.75f), Map.of(10L, 1f, 20L, 0f));
        }
    }

    @Test
    void unknownDimensionIsDynamicInOnnxRuntime() throws Exception {
        byte[] model = OnnxWriter.graph("unknown")
                .input("x", FLOAT, UNKNOWN, 3)
                .initializer("W", W, 3, 2)
                .node("MatMul", in("x", "W"), out("y"))
                .output("y", FLOAT, UNKNOWN, 2)
                .toBytes();

        assertThat(Ort.shapes(model)).hasEntrySatisfying("x", shape -> assertThat(shape).containsExactly(-1, 3));
        assertThat(Ort.run(model, new float[][] {{1, 0, 0}, {0, 0, 1}}))
                .isDeepEqualTo(new float[][] {{1, 2}, {5, 6}});
    }

    @Test
    void writesTheModelToAFileInANewFolder(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("a/b/affine.onnx");

        affine().writeTo(file);

        assertThat(Files.readAllBytes(file)).isEqualTo(affine().toBytes());
    }

    @Test
    void sameCallsGiveTheSameBytes() {
        assertThat(affine().toBytes()).isEqualTo(affine().toBytes());
    }

    @Test
    void rejectsInitializerWhoseValuesDoNotFillItsShape() {
        assertThatThrownBy(() -> OnnxWriter.graph("g").initializer("W", W, 2, 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("W");
    }

    @Test
    void rejectsDimensionThatIsNeitherSizeNorBatch() {
        assertThatThrownBy(() -> OnnxWriter.graph("g").input("x", FLOAT, 0, 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("x");
    }

    @Test
    void rejectsOpsetWithoutDomainOrVersion() {
        assertThatThrownBy(() -> OnnxWriter.graph("g").opset(" ", 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("opset domain");
        assertThatThrownBy(() -> OnnxWriter.graph("g").opset("ai.onnx.ml", 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ai.onnx.ml");
    }

    private static float softmaxFirst(double a, double b) {
        return (float) (Math.exp(a) / (Math.exp(a) + Math.exp(b)));
    }
}
