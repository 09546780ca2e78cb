package dev.lattice.api.models.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lattice.core.Json;
import dev.lattice.core.LatticeException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

class ContractApplyTest {
    static final Contract TITANIC = Contract.parse(ContractParseTest.TITANIC);

    @Test
    void encodesImputesAndScalesInTheOrderOfFields() {
        Rows rows = TITANIC.rows(json("{\"pclass\": 3, \"sex\": \"female\", \"age\": 44.2, \"fare\": 7.25, \"name\": \"ignored\"}"));

        assertThat(rows.single()).isTrue();
        assertThat(rows.values()).hasDimensions(1, 4);
        double[] row = rows.values()[0];
        assertThat(row[0]).isEqualTo(3.0);
        assertThat(row[1]).isEqualTo(1.0);
        assertThat(row[2]).isCloseTo((44.2 - 29.7) / 14.5, within(1e-12));
        assertThat(row[3]).isCloseTo((7.25 - 32.2) / 49.7, within(1e-12));
    }

    @Test
    void imputesAMissingOrNullFieldBeforeScaling() {
        double[] missing = TITANIC.rows(json("{\"pclass\": 1, \"sex\": \"male\", \"fare\": 32.2}")).values()[0];
        double[] nulled = TITANIC.rows(json("{\"pclass\": 1, \"sex\": \"male\", \"age\": null, \"fare\": 32.2}")).values()[0];

        assertThat(missing).containsExactly(1.0, 0.0, 0.0, 0.0);
        assertThat(nulled).containsExactly(1.0, 0.0, 0.0, 0.0);
    }

    @Test
    void encodesNumbersAndBooleansByTheirText() {
        Contract contract = Contract.parse("preprocess: {fields: [pclass, adult], encode: {pclass: {1: 0, 2: 0.5, 3: 1}, adult: {'true': 1, 'false': 0}}}");

        assertThat(contract.rows(json("{\"pclass\": 2, \"adult\": true}")).values()[0]).containsExactly(0.5, 1.0);
    }

    @Test
    void keepsTheOrderOfAnArray() {
        Rows rows = TITANIC.rows(json("[{\"pclass\": 1, \"sex\": \"male\", \"fare\": 32.2}, {\"pclass\": 2, \"sex\": \"female\", \"fare\": 32.2}]"));

        assertThat(rows.single()).isFalse();
        assertThat(rows.values()).hasDimensions(2, 4);
        assertThat(rows.values()[0][0]).isEqualTo(1.0);
        assertThat(rows.values()[1][0]).isEqualTo(2.0);
    }

    @Test
    void namesTheFieldOfABadRequestObject() {
        assertBad("{\"sex\": \"male\", \"fare\": 1}").hasMessage("missing field 'pclass'");
        assertBad("{\"pclass\": null, \"sex\": \"male\", \"fare\": 1}").hasMessage("missing field 'pclass'");
        assertBad("{\"pclass\": 1, \"sex\": \"x\", \"fare\": 1}").hasMessage("field 'sex': 'x' is not one of [male, female]");
        assertBad("{\"pclass\": 1, \"sex\": 0, \"fare\": 1}").hasMessage("field 'sex': 0 is not one of [male, female]");
        assertBad("{\"pclass\": 1, \"sex\": \"male\", \"age\": \"abc\", \"fare\": 1}").hasMessage("field 'age': a number, not \"abc\"");
        assertBad("{\"pclass\": true, \"sex\": \"male\", \"fare\": 1}").hasMessage("field 'pclass': a number, not true");
        assertBad("{\"pclass\": [1], \"sex\": \"male\", \"fare\": 1}").hasMessage("field 'pclass': a number, not an array");
    }

    @Test
    void namesTheIndexAndFieldInAnArray() {
        String ok = "{\"pclass\": 1, \"sex\": \"male\", \"fare\": 1}";
        assertBad("[" + ok + ", " + ok + ", {\"pclass\": 1, \"sex\": \"male\", \"age\": \"abc\", \"fare\": 1}]").hasMessage("[2].age: a number, not \"abc\"");
        assertBad("[" + ok + ", {\"sex\": \"male\", \"fare\": 1}]").hasMessage("[1].pclass: missing");
        assertBad("[" + ok + ", {\"pclass\": 1, \"sex\": \"other\", \"fare\": 1}]").hasMessage("[1].sex: 'other' is not one of [male, female]");
        assertBad("[" + ok + ", 7]").hasMessage("[1]: a JSON object is required, not number");
    }

    @Test
    void refusesABodyThatIsNeitherAnObjectNorANonEmptyArray() {
        String expected = "body: one JSON object, or a non-empty array of them, is required";
        assertBad("[]").hasMessage(expected);
        assertBad("\"text\"").hasMessage(expected);
        assertBad("42").hasMessage(expected);
        assertThatThrownBy(() -> TITANIC.rows(null)).hasMessage(expected);
    }

    @Test
    void refusesMoreThanTenThousandRows() {
        String many = IntStream.range(0, Contract.MAX_ROWS + 1).mapToObj(i -> "{}").collect(Collectors.joining(",", "[", "]"));

        assertBad(many).hasMessage("body: 10001 objects is more than the limit of 10000 per request");
    }

    @Test
    void answersLabelAndProbabilitiesAfterSoftmax() {
        Contract contract = Contract.parse("preprocess: {fields: [a]}\npostprocess: {softmax: true, labels: [cat, dog, cow], probabilities: true}");

        JsonNode answer = contract.answer(new float[][] {{1f, 3f, 2f}}, true);

        double sum = Math.exp(1) + Math.exp(3) + Math.exp(2);
        assertThat(answer.get("label").asText()).isEqualTo("dog");
        assertThat(answer.get("probabilities").get("cat").doubleValue()).isCloseTo(Math.exp(1) / sum, within(1e-6));
        assertThat(answer.get("probabilities").get("dog").doubleValue()).isCloseTo(Math.exp(3) / sum, within(1e-6));
        assertThat(answer.get("probabilities").get("cow").doubleValue()).isCloseTo(Math.exp(2) / sum, within(1e-6));
    }

    @Test
    void softmaxStaysFiniteForLargeLogits() {
        float[] p = Postprocess.softmax(new float[] {1000f, 1000f});

        assertThat(p).containsExactly(0.5f, 0.5f);
    }

    @Test
    void answersTheLabelWithoutProbabilitiesUnlessAsked() {
        Contract contract = Contract.parse("preprocess: {fields: [a]}\npostprocess: {labels: [died, survived]}");

        assertThat(Json.string(contract.answer(new float[][] {{0.2f, 0.8f}}, true))).isEqualTo("{\"label\":\"survived\"}");
    }

    @Test
    void appliesTheThresholdRuleBelowAtAndAbove() {
        Contract contract = Contract.parse("preprocess: {fields: [a]}\npostprocess: {threshold: {value: 0.5, labels: [normal, anomaly]}}");

        JsonNode answers = contract.answer(new float[][] {{0.49f}, {0.5f}, {0.93f}}, false);

        assertThat(answers).extracting(a -> a.get("label").asText()).containsExactly("normal", "anomaly", "anomaly");
        assertThat(Json.string(answers.get(2))).isEqualTo("{\"label\":\"anomaly\",\"score\":0.93}");
    }

    @Test
    void answersRawOutputsWithoutLabels() {
        Contract contract = Contract.parse("preprocess: {fields: [a]}");

        assertThat(Json.string(contract.answer(new float[][] {{0.1f, 2.5f}}, true))).isEqualTo("{\"outputs\":[0.1,2.5]}");
        assertThat(Json.string(contract.answer(new float[][] {{1f}, {2f}}, false))).isEqualTo("[{\"outputs\":[1.0]},{\"outputs\":[2.0]}]");
    }

    @Test
    void failsLoudlyWhenTheModelAnswersAnotherWidthThanTheLabels() {
        Contract contract = Contract.parse("preprocess: {fields: [a]}\npostprocess: {labels: [x, y]}");

        assertThatThrownBy(() -> contract.answer(new float[][] {{1f, 2f, 3f}}, true))
                .isInstanceOfSatisfying(LatticeException.class, e -> assertThat(e.status()).isEqualTo(500))
                .hasMessage("the model answered a row of 3 values but the contract expects 2");
    }

    private static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> assertBad(String body) {
        return assertThatThrownBy(() -> TITANIC.rows(json(body)))
                .isInstanceOfSatisfying(LatticeException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.code()).isEqualTo(Contract.REQUEST);
                });
    }
}
