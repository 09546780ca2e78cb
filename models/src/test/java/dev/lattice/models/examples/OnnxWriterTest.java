package dev.lattice.models.examples;

import static dev.lattice.models.examples.OnnxWriter.BATCH;
import static dev.lattice.models.examples.OnnxWriter.ElementType.FLOAT;
import static dev.lattice.models.examples.OnnxWriter.attr;
import static dev.lattice.models.examples.OnnxWriter.in;
import static dev.lattice.models.examples.OnnxWriter.out;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
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

    private static float softmaxFirst(double a, double b) {
        return (float) (Math.exp(a) / (Math.exp(a) + Math.exp(b)));
    }
}
