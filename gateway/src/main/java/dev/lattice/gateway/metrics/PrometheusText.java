package dev.lattice.gateway.metrics;

import java.util.HashMap;
import java.util.Map;

/**
 * Reads the samples of Prometheus' text exposition format (version 0.0.4), which is what every
 * Lattice process serves: {@code name{label="value",...} value [timestamp]} per line, {@code #}
 * lines being help and type. Written here because the format is a few rules and no library of
 * the stack parses it (Micrometer and the Prometheus Java client only write it).
 */
final class PrometheusText {
    /** What a sample is handed to. */
    interface Sample {
        void accept(String name, Map<String, String> labels, double value);
    }

    private PrometheusText() {}

    static void samples(String text, Sample sink) {
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) continue;
            int brace = line.indexOf('{');
            int space = line.indexOf(' ');
            if (space < 0) continue;
            Map<String, String> labels = Map.of();
            String name;
            int rest;
            if (brace >= 0 && brace < space) {
                name = line.substring(0, brace);
                labels = new HashMap<>();
                rest = labels(line, brace + 1, labels);
                if (rest < 0) continue;
            } else {
                name = line.substring(0, space);
                rest = space;
            }
            String[] tail = line.substring(rest).trim().split(" ");
            if (tail.length == 0 || tail[0].isEmpty()) continue;
            sink.accept(name, labels, value(tail[0]));
        }
    }

    /** Reads {@code a="x",b="y"}} from {@code i}; returns the index after the closing brace, or -1 if malformed. */
    private static int labels(String line, int i, Map<String, String> into) {
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == '}') return i + 1;
            if (c == ',' || c == ' ') {
                i++;
                continue;
            }
            int eq = line.indexOf('=', i);
            if (eq < 0 || eq + 1 >= line.length() || line.charAt(eq + 1) != '"') return -1;
            String key = line.substring(i, eq);
            StringBuilder value = new StringBuilder();
            int j = eq + 2;
            for (; j < line.length() && line.charAt(j) != '"'; j++) {
                char v = line.charAt(j);
                if (v == '\\' && j + 1 < line.length()) {
                    char next = line.charAt(++j);
                    value.append(next == 'n' ? '\n' : next);
                } else {
                    value.append(v);
                }
            }
            if (j >= line.length()) return -1;
            into.put(key, value.toString());
            i = j + 1;
        }
        return -1;
    }

    private static double value(String s) {
        return switch (s) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> {
                try {
                    yield Double.parseDouble(s);
                } catch (NumberFormatException e) {
                    yield Double.NaN;
                }
            }
        };
    }
}
