package dev.lattice.api.models.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lattice.core.LatticeException;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

class ContractParseTest {
    /** The example of API.md "Model contracts", comments and all. */
    static final String TITANIC = """
            preprocess:
              input: features            # model input tensor; may be left out if the model has one input
              fields: [pclass, sex, age, fare]     # request fields, in the order of the input's columns
              encode:                    # optional: string values to numbers, per field
                sex: {male: 0, female: 1}
              impute:                    # optional: value used when a field is missing or null
                age: 29.7
              scale:                     # optional: (x - mean) / std, per field
                age: {mean: 29.7, std: 14.5}
                fare: {mean: 32.2, std: 49.7}
            postprocess:
              output: scores             # model output tensor; may be left out if the model has one output
              softmax: false             # optional: apply softmax to the output row first
              labels: [died, survived]   # optional: answer "label" = labels[argmax(row)]
              probabilities: true        # optional: answer "probabilities" = {label: value, ...}
            """;

    @Test
    void readsTheYamlOfTheApiDocument() {
        Contract contract = Contract.parse(TITANIC);

        Preprocess pre = contract.preprocess();
        assertThat(pre.input()).isEqualTo("features");
        assertThat(pre.fields()).containsExactly("pclass", "sex", "age", "fare");
        assertThat(pre.encode()).isEqualTo(Map.of("sex", Map.of("male", 0.0, "female", 1.0)));
        assertThat(pre.impute()).isEqualTo(Map.of("age", 29.7));
        assertThat(pre.scale()).containsExactly(Map.entry("age", new Scale(29.7, 14.5)), Map.entry("fare", new Scale(32.2, 49.7)));
        assertThat(contract.postprocess()).isEqualTo(new Postprocess("scores", false, List.of("died", "survived"), true, null));
    }

    @Test
    void readsJsonAsWellAndBothGiveTheSameContract() {
        String json = """
                {"preprocess": {"input": "features", "fields": ["pclass", "sex", "age", "fare"],
                  "encode": {"sex": {"male": 0, "female": 1}}, "impute": {"age": 29.7},
                  "scale": {"age": {"mean": 29.7, "std": 14.5}, "fare": {"mean": 32.2, "std": 49.7}}},
                 "postprocess": {"output": "scores", "labels": ["died", "survived"], "probabilities": true}}
                """;

        assertThat(Contract.parse(json)).isEqualTo(Contract.parse(TITANIC));
    }

    @Test
    void normalisedJsonReadsBackEqual() {
        Contract contract = Contract.parse(TITANIC);
        Contract threshold = Contract.parse("""
                preprocess: {fields: [x]}
                postprocess: {threshold: {value: 0.5, labels: [normal, anomaly]}}
                """);

        assertThat(Contract.parse(contract.toJson())).isEqualTo(contract);
        assertThat(Contract.parse(threshold.toJson())).isEqualTo(threshold);
        assertThat(contract.toJson()).startsWith("{\"preprocess\":{\"input\":\"features\",\"fields\":[\"pclass\"");
    }

    @Test
    void leavesPostprocessOutForRawOutputs() {
        assertThat(Contract.parse("preprocess: {fields: [a, b]}").postprocess()).isEqualTo(Postprocess.RAW);
    }

    @Test
    void imputesAnEncodedFieldByOneOfItsValues() {
        Contract contract = Contract.parse("""
                preprocess:
                  fields: [sex]
                  encode: {sex: {male: 0, female: 1}}
                  impute: {sex: female}
                """);

        assertThat(contract.preprocess().impute()).isEqualTo(Map.of("sex", 1.0));
    }

    @Test
    void refusesUnknownKeysNamingThem() {
        assertInvalid("preprocess: {fields: [a]}\nversion: 2").hasMessage("contract: version is not a known key (known: [postprocess, preprocess])");
        assertInvalid("preprocess: {fields: [a], scael: {}}").hasMessageStartingWith("contract: preprocess.scael is not a known key");
        assertInvalid("preprocess: {fields: [a], scale: {a: {mean: 1, std: 2, min: 0}}}")
                .hasMessage("contract: preprocess.scale.a.min is not a known key (known: [mean, std])");
        assertInvalid("preprocess: {fields: [a]}\npostprocess: {threshold: {value: 1, labels: [x, y], above: z}}")
                .hasMessageStartingWith("contract: postprocess.threshold.above is not a known key");
    }

    @Test
    void refusesWrongTypesNamingThePlace() {
        assertInvalid("preprocess: {fields: a}").hasMessage("contract: preprocess.fields must be a list of names, not \"a\"");
        assertInvalid("preprocess: {fields: [a, 3]}").hasMessage("contract: preprocess.fields[1] must be a string, not 3 (quote it: \"3\")");
        assertInvalid("preprocess: {fields: [a], input: 7}").hasMessage("contract: preprocess.input must be a string, not 7");
        assertInvalid("preprocess: {fields: [a], impute: {a: abc}}").hasMessage("contract: preprocess.impute.a must be a number, not \"abc\"");
        assertInvalid("preprocess: {fields: [a], scale: {a: {mean: 1, std: wide}}}").hasMessage("contract: preprocess.scale.a.std must be a number, not \"wide\"");
        assertInvalid("preprocess: {fields: [a], encode: {a: [x, y]}}").hasMessage("contract: preprocess.encode.a must be a mapping, not a list");
        assertInvalid("preprocess: {fields: [a]}\npostprocess: {softmax: sure}").hasMessage("contract: postprocess.softmax must be true or false, not \"sure\"");
        assertInvalid("preprocess: [a]").hasMessage("contract: preprocess must be a mapping, not a list");
        assertInvalid("- just\n- a list").hasMessage("contract: must be a mapping with preprocess and postprocess");
    }

    @Test
    void refusesFieldsThatAreMissingEmptyOrTwice() {
        assertInvalid("postprocess: {labels: [a]}").hasMessage("contract: preprocess is required");
        assertInvalid("preprocess: {input: x}").hasMessage("contract: preprocess.fields is required");
        assertInvalid("preprocess: {fields: []}").hasMessage("contract: preprocess.fields must name at least one field");
        assertInvalid("preprocess: {fields: [a, '']}").hasMessage("contract: preprocess.fields[1] must not be empty");
        assertInvalid("preprocess: {fields: [age, sex, age]}").hasMessage("contract: preprocess.fields names 'age' twice");
    }

    @Test
    void refusesAZeroOrNegativeStd() {
        assertInvalid("preprocess: {fields: [age], scale: {age: {mean: 29.7, std: 0}}}").hasMessage("contract: preprocess.scale.age.std must not be 0");
        assertInvalid("preprocess: {fields: [age], scale: {age: {mean: 29.7, std: -2}}}").hasMessage("contract: preprocess.scale.age.std must be positive, not -2.0");
        assertInvalid("preprocess: {fields: [age], scale: {age: {mean: 29.7}}}").hasMessage("contract: preprocess.scale.age needs both mean and std");
    }

    @Test
    void refusesEncodeImputeOrScaleOfAFieldNotInFields() {
        String expected = " is not one of preprocess.fields [age, sex]";
        assertInvalid("preprocess: {fields: [age, sex], encode: {sx: {m: 0}}}").hasMessage("contract: preprocess.encode.sx" + expected);
        assertInvalid("preprocess: {fields: [age, sex], impute: {agee: 3}}").hasMessage("contract: preprocess.impute.agee" + expected);
        assertInvalid("preprocess: {fields: [age, sex], scale: {fare: {mean: 0, std: 1}}}").hasMessage("contract: preprocess.scale.fare" + expected);
        assertInvalid("preprocess: {fields: [sex], encode: {sex: {}}}").hasMessage("contract: preprocess.encode.sex must map at least one value");
        assertInvalid("preprocess: {fields: [sex], encode: {sex: {m: 0}}, impute: {sex: x}}")
                .hasMessage("contract: preprocess.impute.sex must be a number or one of [m], not \"x\"");
    }

    @Test
    void refusesInconsistentPostprocessing() {
        String pre = "preprocess: {fields: [a]}\n";
        assertInvalid(pre + "postprocess: {labels: [x, y], threshold: {value: 0.5, labels: [x, y]}}")
                .hasMessage("contract: postprocess.threshold and postprocess.labels cannot both be given: the threshold has its own two labels");
        assertInvalid(pre + "postprocess: {threshold: {value: 0.5, labels: [x, y, z]}}")
                .hasMessage("contract: postprocess.threshold.labels must name exactly 2 labels (below, at or above the value), not 3");
        assertInvalid(pre + "postprocess: {threshold: {value: 0.5, labels: [x]}}").hasMessageEndingWith("not 1");
        assertInvalid(pre + "postprocess: {probabilities: true}").hasMessage("contract: postprocess.probabilities needs postprocess.labels to name them");
        assertInvalid(pre + "postprocess: {softmax: true, threshold: {value: 0.5, labels: [x, y]}}")
                .hasMessageStartingWith("contract: postprocess.softmax cannot go with postprocess.threshold");
        assertInvalid(pre + "postprocess: {labels: [x, x]}").hasMessage("contract: postprocess.labels names 'x' twice");
        assertInvalid(pre + "postprocess: {labels: []}").hasMessage("contract: postprocess.labels must name at least one label");
    }

    @Test
    void refusesDuplicateKeysInYamlAndJson() {
        assertInvalid("preprocess: {fields: [a]}\npreprocess: {fields: [b]}").hasMessageContaining("preprocess");
        assertInvalid("{\"preprocess\": {\"fields\": [\"a\"], \"fields\": [\"b\"]}}").hasMessageContaining("fields");
    }

    @Test
    void refusesTextThatIsEmptyUnreadableOrTooLarge() {
        assertInvalid("  \n").hasMessage("contract: is empty");
        assertInvalid("preprocess: {fields: [a]\n").hasMessageStartingWith("contract: not valid YAML: ");
        assertInvalid("{\"preprocess\": ").hasMessageStartingWith("contract: not valid JSON: ");
        String huge = "preprocess: {fields: [a]}\n#" + "x".repeat(Contract.MAX_BYTES);
        assertInvalid(huge).hasMessage("contract: is " + huge.length() + " bytes, more than the limit of 32768 (32 KiB)");
    }

    @Test
    void refusesAContractWhoseNormalisedJsonWouldNotFitTheEnvironmentVariable() {
        // Flow YAML "abc, " (5 bytes) becomes JSON "\"abc\"," (6): 6,000 names fit as YAML, not as JSON.
        String names = IntStream.range(0, 6000).mapToObj(i -> "" + (char) ('a' + i / 676) + (char) ('a' + i / 26 % 26) + (char) ('a' + i % 26)).collect(Collectors.joining(", "));
        String yaml = "preprocess: {fields: [" + names + "]}";
        assertThat(yaml.length()).isLessThan(Contract.MAX_BYTES);

        assertInvalid(yaml).hasMessageStartingWith("contract: its normalised JSON is ").hasMessageEndingWith("more than the limit of 32768");
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> assertInvalid(String text) {
        return assertThatThrownBy(() -> Contract.parse(text))
                .isInstanceOfSatisfying(LatticeException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.code()).isEqualTo(Contract.INVALID);
                });
    }
}
