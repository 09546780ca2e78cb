package dev.lattice.api.models.contract;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lattice.api.models.ModelSignature.Tensor;
import dev.lattice.api.models.ModelSignature;
import dev.lattice.core.LatticeException;
import java.util.List;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

class ContractCheckTest {
    static final Tensor FEATURES = new Tensor("features", "FP32", List.of(-1L, 4L));
    static final Tensor SCORES = new Tensor("scores", "FP32", List.of(-1L, 2L));
    static final ModelSignature TITANIC = new ModelSignature(List.of(FEATURES), List.of(SCORES));

    @Test
    void acceptsTheContractThatFitsItsModel() {
        assertThatCode(() -> Contract.parse(ContractParseTest.TITANIC).check(TITANIC)).doesNotThrowAnyException();
    }

    @Test
    void takesTheOnlyInputAndOutputWhenTheContractNamesNone() {
        assertThatCode(() -> contract("preprocess: {fields: [a, b, c, d]}\npostprocess: {labels: [x, y]}").check(TITANIC))
                .doesNotThrowAnyException();
    }

    @Test
    void refusesTensorsTheModelDoesNotHaveListingTheOnesItHas() {
        assertMismatch("preprocess: {input: feats, fields: [a, b, c, d]}", TITANIC)
                .hasMessage("contract: preprocess.input 'feats' is not an input of the model; its inputs: [features]");
        assertMismatch("preprocess: {fields: [a, b, c, d]}\npostprocess: {output: probs}", TITANIC)
                .hasMessage("contract: postprocess.output 'probs' is not an output of the model; its outputs: [scores]");
    }

    @Test
    void asksToNameATensorWhenTheModelHasSeveral() {
        var twoInputs = new ModelSignature(List.of(FEATURES, new Tensor("mask", "FP32", List.of(-1L, 4L))), List.of(SCORES));
        var twoOutputs = new ModelSignature(List.of(FEATURES), List.of(new Tensor("label", "INT64", List.of(-1L)), SCORES));

        assertMismatch("preprocess: {fields: [a, b, c, d]}", twoInputs)
                .hasMessage("contract: the model has 2 inputs [features, mask]: name one in preprocess.input");
        assertMismatch("preprocess: {input: features, fields: [a, b, c, d]}", twoInputs)
                .hasMessage("contract: the model also takes inputs [mask], which a contract cannot fill (it fills 'features' only)");
        assertMismatch("preprocess: {fields: [a, b, c, d]}", twoOutputs)
                .hasMessage("contract: the model has 2 outputs [label, scores]: name one in postprocess.output");
    }

    @Test
    void refusesFieldsThatDoNotMatchTheInputWidth() {
        assertMismatch("preprocess: {input: features, fields: [a, b, c]}", TITANIC)
                .hasMessage("contract: preprocess.fields has 3 names but input 'features' of the model has 4 columns");
    }

    @Test
    void refusesLabelsThatDoNotMatchTheOutputWidth() {
        assertMismatch("preprocess: {fields: [a, b, c, d]}\npostprocess: {labels: [x, y, z]}", TITANIC)
                .hasMessage("contract: postprocess.labels has 3 names but output 'scores' of the model has 2 columns");
        assertMismatch("preprocess: {fields: [a, b, c, d]}\npostprocess: {threshold: {value: 0.5, labels: [x, y]}}", TITANIC)
                .hasMessage("contract: postprocess.threshold needs a one-column output but output 'scores' of the model has 2 columns");
    }

    @Test
    void acceptsAThresholdOnAOneColumnOrOneDimensionalOutput() {
        String threshold = "preprocess: {fields: [a, b, c, d]}\npostprocess: {threshold: {value: 0.5, labels: [x, y]}}";
        var column = new ModelSignature(List.of(FEATURES), List.of(new Tensor("p", "FP32", List.of(-1L, 1L))));
        var vector = new ModelSignature(List.of(FEATURES), List.of(new Tensor("p", "FP64", List.of(-1L))));

        assertThatCode(() -> contract(threshold).check(column)).doesNotThrowAnyException();
        assertThatCode(() -> contract(threshold).check(vector)).doesNotThrowAnyException();
    }

    @Test
    void leavesWidthsTheModelDoesNotKnowUnchecked() {
        var dynamic = new ModelSignature(List.of(new Tensor("x", "FP32", List.of(-1L, -1L))), List.of(new Tensor("y", "FP32", List.of(-1L, -1L))));

        assertThatCode(() -> contract("preprocess: {fields: [a]}\npostprocess: {labels: [x, y, z]}").check(dynamic)).doesNotThrowAnyException();
    }

    @Test
    void refusesAnInputThatDoesNotHoldNumbersInRowsAndColumns() {
        var bools = new ModelSignature(List.of(new Tensor("flags", "BOOL", List.of(-1L, 1L))), List.of(SCORES));
        var image = new ModelSignature(List.of(new Tensor("image", "FP32", List.of(-1L, 3L, 8L, 8L))), List.of(SCORES));
        var fixed = new ModelSignature(List.of(new Tensor("features", "FP32", List.of(8L, 4L))), List.of(SCORES));

        assertMismatch("preprocess: {fields: [a]}", bools)
                .hasMessage("contract: input 'flags' of the model holds BOOL; a contract fills FP32, FP64, INT64 or INT32");
        assertMismatch("preprocess: {fields: [a]}", image)
                .hasMessage("contract: input 'image' of the model has shape [-1, 3, 8, 8]; a contract fills [rows, columns]");
        assertMismatch("preprocess: {fields: [a, b, c, d]}", fixed)
                .hasMessage("contract: input 'features' of the model takes exactly 8 rows; a contract needs a dynamic batch or 1 row");
    }

    @Test
    void refusesASequenceOutputNamingTheTensorOutputs() {
        var sklearn = new ModelSignature(List.of(FEATURES), List.of(new Tensor("output_label", "INT64", List.of(-1L)),
                new Tensor("output_probability", "SEQUENCE", List.of())));

        assertMismatch("preprocess: {fields: [a, b, c, d]}\npostprocess: {output: output_probability, labels: [x, y]}", sklearn)
                .hasMessage("contract: output 'output_probability' of the model is a SEQUENCE, not a tensor; "
                        + "name a tensor output in postprocess.output (tensor outputs: [output_label])");
    }

    private static Contract contract(String text) {
        return Contract.parse(text);
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> assertMismatch(String text, ModelSignature model) {
        Contract contract = contract(text);
        return assertThatThrownBy(() -> contract.check(model))
                .isInstanceOfSatisfying(LatticeException.class, e -> {
                    org.assertj.core.api.Assertions.assertThat(e.status()).isEqualTo(400);
                    org.assertj.core.api.Assertions.assertThat(e.code()).isEqualTo(Contract.MISMATCH);
                });
    }
}
