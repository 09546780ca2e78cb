package dev.lattice.models.examples;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes the example models of {@code examples/models}: {@code iris/} (a three-class
 * classifier, versions 1 and 2) and {@code anomaly/} (a thresholded score), each with its ONNX
 * model, contract and config, plus the README whose example answers are computed here.
 *
 * <p>Everything is trained and written from fixed data, fixed seeds and exact formatting, so
 * every run gives byte-identical files; {@code ExampleModelsTest} regenerates them and fails if
 * the committed copies differ. Run it with the folder to write (default {@code examples/models}):
 * <pre>{@code
 * java -cp models/target/test-classes:models/target/classes dev.lattice.models.examples.ExampleModels examples/models
 * }</pre>
 */
public final class ExampleModels {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([a-z0-9.]+)}}");

    private ExampleModels() {
    }

    /** Writes the examples into {@code args[0]} (default {@code examples/models}). */
    public static void main(String[] args) {
        Path folder = Path.of(args.length > 0 ? args[0] : "examples/models");
        write(folder).forEach(System.out::println);
    }

    /**
     * Trains the models and writes every example file under {@code folder}, replacing files of
     * the same name and leaving others alone.
     *
     * @return one line per model with its training accuracy
     * @throws UncheckedIOException if a file cannot be written
     */
    public static List<String> write(Path folder) {
        IrisExample iris = IrisExample.train();
        AnomalyExample anomaly = AnomalyExample.train();
        Map<String, byte[]> files = new LinkedHashMap<>(iris.files());
        files.putAll(anomaly.files());
        Map<String, String> values = new LinkedHashMap<>(iris.readme());
        values.putAll(anomaly.readme());
        files.put("README.md", fill(template(), values).getBytes(StandardCharsets.UTF_8));
        files.forEach((name, bytes) -> writeFile(folder.resolve(name), bytes));
        List<String> summary = new ArrayList<>();
        summary.add("iris v1: training accuracy " + values.get("iris.v1.accuracy") + " %");
        summary.add("iris v2: training accuracy " + values.get("iris.v2.accuracy") + " %");
        summary.add("anomaly: training accuracy " + values.get("anomaly.accuracy") + " %");
        summary.add(files.size() + " files written to " + folder);
        return summary;
    }

    /** Replaces each {@code {{key}}}; a key without a value is a bug in the template. */
    static String fill(String template, Map<String, String> values) {
        Matcher matcher = PLACEHOLDER.matcher(template);
        StringBuilder filled = new StringBuilder();
        while (matcher.find()) {
            String value = values.get(matcher.group(1));
            if (value == null) {
                throw new IllegalStateException("README template: no value for " + matcher.group());
            }
            matcher.appendReplacement(filled, Matcher.quoteReplacement(value));
        }
        return matcher.appendTail(filled).toString();
    }

    private static String template() {
        try (InputStream in = ExampleModels.class.getResourceAsStream("README.template.md")) {
            if (in == null) {
                throw new IllegalStateException("README.template.md missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read README.template.md", e);
        }
    }

    private static void writeFile(Path file, byte[] bytes) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
