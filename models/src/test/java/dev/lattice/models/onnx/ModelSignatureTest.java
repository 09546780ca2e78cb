package dev.lattice.models.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lattice.api.models.ModelSignature;
import dev.lattice.core.LatticeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelSignatureTest {
    static final float[][] W = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {1, 1, 1}};
    static final float[] B = {0, 0, 0};

    @TempDir
    Path dir;

    @Test
    void readsInputsAndOutputsWithV2DatatypesAndDynamicBatch() {
        ModelSignature signature = ModelSignatures.inspect(TestModels.Linear.of(W, B).activation("Softmax").write(dir));

        assertThat(signature.inputs()).containsExactly(new ModelSignature.Tensor("features", "FP32", List.of(-1L, 4L)));
        assertThat(signature.outputs()).containsExactly(new ModelSignature.Tensor("scores", "FP32", List.of(-1L, 3L)));
        assertThat(signature.inputs().get(0).width()).isEqualTo(4);
    }

    @Test
    void keepsAFixedBatchDimension() {
        ModelSignature signature = ModelSignatures.inspect(TestModels.Linear.of(W, B).fixedBatch().write(dir));

        assertThat(signature.inputs().get(0).shape()).containsExactly(1L, 4L);
    }

    @Test
    void measuresAnOutputWidthTheFileLeavesDynamic() {
        ModelSignature signature = ModelSignatures.inspect(TestModels.Linear.of(W, B).dynamicWidth().write(dir));

        assertThat(signature.outputs().get(0).shape()).containsExactly(-1L, 3L);
    }

    @Test
    void listsAZipMapOutputAsASequence() {
        ModelSignature signature = ModelSignatures.inspect(TestModels.Linear.of(W, B).activation("Softmax").withZipMap().write(dir));

        assertThat(signature.outputNames()).containsExactly("scores", "output_probability");
        ModelSignature.Tensor zipMap = signature.output("output_probability").orElseThrow();
        assertThat(zipMap.datatype()).isEqualTo("SEQUENCE");
        assertThat(zipMap.isTensor()).isFalse();
        assertThat(zipMap.shape()).isEmpty();
    }

    @Test
    void namesEveryV2Datatype() throws Exception {
        Path file = TestModels.write(dir.resolve("typed.onnx"), TestModels.typed());

        ModelSignature signature = ModelSignatures.inspect(file);

        assertThat(signature.inputs()).extracting(ModelSignature.Tensor::datatype).containsExactly("FP64", "INT64", "INT32", "BOOL");
        assertThat(signature.inputs()).extracting(ModelSignature.Tensor::shape)
                .containsExactly(List.of(-1L, 2L), List.of(-1L), List.of(-1L, 2L), List.of(-1L));
        assertThat(signature.outputNames()).containsExactly("f64_out", "i64_out", "i32_out", "flag_out");
    }

    @Test
    void rejectsAFileThatIsNotAnOnnxModelWithOneLineFromTheRuntime() throws Exception {
        Path file = Files.writeString(dir.resolve("broken.onnx"), "this is not a model");

        assertThatThrownBy(() -> ModelSignatures.inspect(file))
                .isInstanceOfSatisfying(LatticeException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.code()).isEqualTo("models:model.invalid");
                    assertThat(e.getMessage()).startsWith("model: not a valid ONNX model: ")
                            .doesNotContain("\n").doesNotContain(dir.toString()).doesNotContain("Error code");
                });
    }
}
