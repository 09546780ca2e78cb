package dev.lattice.models.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The parts of a contract the example models use (fields, impute, scale, labels, threshold),
 * applied as API.md describes, so the tests read the committed contracts rather than trust
 * the generator's own numbers.
 */
record TestContract(JsonNode yaml) {
    static TestContract read(Path file) throws IOException {
        return new TestContract(new YAMLMapper().readTree(file.toFile()));
    }

    /** One model input row from field values in contract order; NaN means left out. */
    float[] input(double[] values) {
        JsonNode pre = yaml.get("preprocess");
        JsonNode fields = pre.get("fields");
        float[] row = new float[fields.size()];
        for (int j = 0; j < row.length; j++) {
            String field = fields.get(j).asText();
            double value = values[j];
            if (Double.isNaN(value)) {
                value = pre.get("impute").get(field).asDouble();
            }
            JsonNode scale = pre.path("scale").path(field);
            if (!scale.isMissingNode()) {
                value = (value - scale.get("mean").asDouble()) / scale.get("std").asDouble();
            }
            row[j] = (float) value;
        }
        return row;
    }

    List<String> labels() {
        List<String> labels = new ArrayList<>();
        yaml.get("postprocess").get("labels").forEach(label -> labels.add(label.asText()));
        return labels;
    }

    String thresholdLabel(double score) {
        JsonNode threshold = yaml.get("postprocess").get("threshold");
        return threshold.get("labels").get(score < threshold.get("value").asDouble() ? 0 : 1).asText();
    }
}
