package dev.lattice.models.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed {@code examples/models} are exactly what {@link ExampleModels} writes, and each
 * model, read through its own contract, answers in ONNX Runtime what the README says.
 */
class ExampleModelsTest {
    private static final YAMLMapper YAML = new YAMLMapper();

    private static Path examples;
    private static IrisExample iris;
    private static AnomalyExample anomaly;

    @BeforeAll
    static void train() {
        examples = repositoryRoot().resolve("examples/models");
        iris = IrisExample.train();
        anomaly = AnomalyExample.train();
    }

    @Test
    void committedExamplesAreByteForByteWhatTheGeneratorWrites(@TempDir Path generated)
            throws IOException {
        ExampleModels.write(generated);

        Map<String, byte[]> expected = files(generated);
        Map<String, byte[]> committed = files(examples);
        assertThat(committed.keySet())
                .as("files in examples/models; regenerate with ExampleModels (see its README)")
                .containsExactlyElementsOf(expected.keySet());
        expected.forEach((name, bytes) -> assertThat(committed.get(name))
                .as("examples/models/%s differs from what ExampleModels writes", name)
                .isEqualTo(bytes));
    }

    @Test
    void irisClassifiesOneFlowerOfEachSpeciesRightInBothVersions() throws Exception {
        TestContract contract = TestContract.read(examples.resolve("iris/contract.yaml"));
        for (int version : List.of(1, 2)) {
            byte[] model = Files.readAllBytes(examples.resolve(
                    version == 1 ? "iris/model.onnx" : "iris/model-v2.onnx"));
            for (int row : List.of(0, 50, 100)) {
                double[] measurements = iris.row(row);
                float[] scores = Ort.run(model, new float[][] {contract.input(measurements)})[0];
                double[] probabilities = SoftmaxRegression.softmax(toDoubles(scores));

                assertThat(contract.labels().get(SoftmaxRegression.argmax(probabilities)))
                        .isEqualTo(IrisData.SPECIES.get(row / 50));
                assertThat(probabilities).containsExactly(
                        iris.probabilities(version, measurements), within(1e-5));
            }
        }
    }

    @Test
    void irisVersionOneClassifiesAtLeastNinetyFivePercentOfTheDataInOnnxRuntime() throws Exception {
        TestContract contract = TestContract.read(examples.resolve("iris/contract.yaml"));
        IrisData data = IrisData.load();
        float[][] batch = Stream.of(data.rows()).map(contract::input).toArray(float[][]::new);

        float[][] scores = Ort.run(Files.readAllBytes(examples.resolve("iris/model.onnx")), batch);

        int right = 0;
        for (int i = 0; i < scores.length; i++) {
            right += SoftmaxRegression.argmax(toDoubles(scores[i])) == data.species()[i] ? 1 : 0;
        }
        assertThat(scores).hasNumberOfRows(150);
        assertThat(right).isGreaterThanOrEqualTo(143);
    }

    @Test
    void anomalyLabelsANormalAndAnAnomalousReadingAndImputesMissingCurrent() throws Exception {
        TestContract contract = TestContract.read(examples.resolve("anomaly/contract.yaml"));
        byte[] model = Files.readAllBytes(examples.resolve("anomaly/model.onnx"));
        List<double[]> readings = AnomalyExample.examples();
        float[][] rows = readings.stream().map(contract::input).toArray(float[][]::new);

        float[][] scores = Ort.run(model, rows);

        assertThat(Stream.of(scores).map(score -> contract.thresholdLabel(score[0])))
                .containsExactly("normal", "anomaly", "anomaly");
        for (int i = 0; i < scores.length; i++) {
            assertThat((double) scores[i][0]).isCloseTo(anomaly.score(readings.get(i)), within(1e-5));
        }
    }

    @Test
    void contractsFitTheirModelsAsTheUploadCheckRequires() throws Exception {
        assertFits("iris/contract.yaml", "iris/model.onnx", "features", "scores", 3);
        assertFits("iris/contract.yaml", "iris/model-v2.onnx", "features", "scores", 3);
        assertFits("anomaly/contract.yaml", "anomaly/model.onnx", "reading", "score", 1);
    }

    @Test
    void configsNameTheModelAndItsVersionAsAString() throws IOException {
        assertThat(config("iris/config.yaml")).isEqualTo(Map.of("name", "iris", "version", "1",
                "format", "onnx", "replicas", "2", "cpu", "0.25", "memoryMb", "256"));
        assertThat(config("iris/config-v2.yaml")).containsEntry("version", "2");
        assertThat(config("anomaly/config.yaml")).containsEntry("name", "anomaly")
                .containsEntry("version", "1");
        assertThat(YAML.readTree(examples.resolve("iris/config.yaml").toFile()).get("version")
                .isTextual()).isTrue();
    }

    private static void assertFits(String contractFile, String modelFile, String input,
            String output, int outputWidth) throws Exception {
        JsonNode contract = YAML.readTree(examples.resolve(contractFile).toFile());
        Map<String, long[]> shapes = Ort.shapes(Files.readAllBytes(examples.resolve(modelFile)));
        JsonNode post = contract.get("postprocess");
        int labels = post.has("threshold") ? post.get("threshold").get("labels").size()
                : post.get("labels").size();

        assertThat(contract.get("preprocess").get("input").asText()).isEqualTo(input);
        assertThat(post.get("output").asText()).isEqualTo(output);
        assertThat(shapes.get(input)).containsExactly(-1, contract.get("preprocess").get("fields").size());
        assertThat(shapes.get(output)).containsExactly(-1, outputWidth);
        assertThat(labels).isEqualTo(post.has("threshold") ? 2 : outputWidth);
    }

    private static Map<String, String> config(String file) throws IOException {
        JsonNode config = YAML.readTree(examples.resolve(file).toFile());
        Map<String, String> flat = new TreeMap<>();
        config.properties().forEach(field -> {
            if (field.getValue().isObject()) {
                field.getValue().properties().forEach(
                        inner -> flat.put(inner.getKey(), inner.getValue().asText()));
            } else {
                flat.put(field.getKey(), field.getValue().asText());
            }
        });
        return flat;
    }

    private static Map<String, byte[]> files(Path folder) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.filter(Files::isRegularFile).toList()) {
                String name = folder.relativize(path).toString().replace('\\', '/');
                if (!path.getFileName().toString().startsWith(".")) {
                    files.put(name, Files.readAllBytes(path));
                }
            }
        }
        return files;
    }

    private static double[] toDoubles(float[] values) {
        double[] doubles = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            doubles[i] = values[i];
        }
        return doubles;
    }

    /** The folder above the working directory that holds {@code examples/}. */
    static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("examples"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no examples/ folder above " + Path.of("").toAbsolutePath());
    }
}
