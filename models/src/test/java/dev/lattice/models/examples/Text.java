package dev.lattice.models.examples;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

/**
 * Number and YAML formatting for the example files, independent of locale and of the JDK's
 * {@code Double.toString} (which changed in JDK 19), so the files come out byte-identical.
 */
final class Text {
    private Text() {
    }

    /** {@code value} rounded half-even to {@code decimals}, trailing zeros dropped: 63.24, 2. */
    static String number(double value, int decimals) {
        BigDecimal rounded = new BigDecimal(value).setScale(decimals, RoundingMode.HALF_EVEN);
        return rounded.signum() == 0 ? "0" : rounded.stripTrailingZeros().toPlainString();
    }

    /** {@code value} rounded half-even to exactly {@code decimals}: 0.0100. */
    static String fixed(double value, int decimals) {
        return new BigDecimal(value).setScale(decimals, RoundingMode.HALF_EVEN).toPlainString();
    }

    /** A YAML flow list of plain words: {@code [a, b]}. */
    static String list(List<String> items) {
        return "[" + String.join(", ", items) + "]";
    }

    /** A contract's {@code scale:} block, indented under {@code preprocess:}. */
    static String scale(List<String> fields, Standardiser standardiser, int decimals) {
        StringBuilder yaml = new StringBuilder("  scale:\n");
        double[] means = standardiser.means();
        double[] stds = standardiser.stds();
        for (int j = 0; j < fields.size(); j++) {
            yaml.append("    ").append(fields.get(j)).append(": {mean: ")
                    .append(number(means[j], decimals)).append(", std: ")
                    .append(number(stds[j], decimals)).append("}\n");
        }
        return yaml.toString();
    }

    /** A model config as {@code POST /api/v1/models} takes it. */
    static String config(String name, String version, int replicas) {
        return """
                name: %s
                version: "%s"
                format: onnx
                replicas: %d
                resources:
                  cpu: 0.25
                  memoryMb: 256
                """.formatted(name, version, replicas);
    }

    /** A JSON object of named numbers, as a predict request shows them: {@code {"a": 1.5}}. */
    static String jsonObject(List<String> names, List<String> values) {
        StringBuilder json = new StringBuilder("{");
        for (int j = 0; j < names.size(); j++) {
            json.append(j == 0 ? "" : ", ").append('"').append(names.get(j)).append("\": ")
                    .append(values.get(j));
        }
        return json.append('}').toString();
    }
}
