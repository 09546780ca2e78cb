package dev.lattice.modelserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lattice.api.models.contract.Contract;
import dev.lattice.models.onnx.TestModels;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real server on port 0, a real ONNX model, real HTTP: predict, V2, metrics, readiness. */
class ModelServerIT {
    static final float[][] W = {{0.3f, -0.3f}, {-1.2f, 1.2f}, {0.1f, -0.1f}, {-0.2f, 0.2f}};
    static final float[] B = {0.1f, -0.1f};
    static final String CONTRACT = """
            preprocess:
              fields: [pclass, sex, age, fare]
              encode: {sex: {male: 0, female: 1}}
              impute: {age: 29.7}
              scale: {age: {mean: 29.7, std: 14.5}, fare: {mean: 32.2, std: 49.7}}
            postprocess:
              labels: [died, survived]
              probabilities: true
            """;

    @TempDir
    static Path dir;
    static ModelServerMain server;
    static Http http;

    @BeforeAll
    static void start() {
        Path model = TestModels.Linear.of(W, B).activation("Softmax").write(dir);
        String contract = Contract.parse(CONTRACT).toJson();
        server = ModelServerMain.start(ModelServerConfig.of("titanic", "1", model, "127.0.0.1", 0,
                Map.of(ModelServerConfig.CONTRACT_ENV, contract, ModelServerConfig.KEY_ENV, Http.KEY)));
        http = Http.on(server.port());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** What the model should say, computed here in double precision. */
    static double[] expected(double pclass, double sex, double age, double fare) {
        double[] x = {pclass, sex, (age - 29.7) / 14.5, (fare - 32.2) / 49.7};
        double[] logits = new double[2];
        for (int j = 0; j < 2; j++) {
            logits[j] = B[j];
            for (int i = 0; i < 4; i++) logits[j] += x[i] * W[i][j];
        }
        double max = Math.max(logits[0], logits[1]);
        double e0 = Math.exp(logits[0] - max);
        double e1 = Math.exp(logits[1] - max);
        return new double[] {e0 / (e0 + e1), e1 / (e0 + e1)};
    }

    @Test
    void predictsOneObjectThroughTheContract() {
        Http.Answer answer = http.post("/predict", "{\"pclass\": 1, \"sex\": \"female\", \"age\": 38, \"fare\": 71.28}");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.contentType()).startsWith("application/json");
        double[] p = expected(1, 1, 38, 71.28);
        JsonNode json = answer.json();
        assertThat(json.get("label").asText()).isEqualTo(p[1] > p[0] ? "survived" : "died");
        assertThat(json.get("probabilities").get("died").doubleValue()).isCloseTo(p[0], within(1e-5));
        assertThat(json.get("probabilities").get("survived").doubleValue()).isCloseTo(p[1], within(1e-5));
    }

    @Test
    void predictsAnArrayInOrder() {
        Http.Answer answer = http.post("/predict", """
                [{"pclass": 3, "sex": "male", "age": 22, "fare": 7.25},
                 {"pclass": 1, "sex": "female", "fare": 71.28},
                 {"pclass": 3, "sex": "female", "age": 4, "fare": 16.7}]""");

        assertThat(answer.status()).isEqualTo(200);
        JsonNode json = answer.json();
        assertThat(json.isArray()).isTrue();
        assertThat(json).hasSize(3);
        double[][] rows = {{3, 0, 22, 7.25}, {1, 1, 29.7, 71.28}, {3, 1, 4, 16.7}};
        for (int i = 0; i < 3; i++) {
            double[] p = expected(rows[i][0], rows[i][1], rows[i][2], rows[i][3]);
            assertThat(json.get(i).get("probabilities").get("survived").doubleValue()).isCloseTo(p[1], within(1e-5));
        }
    }

    @Test
    void refusesABadPredictRequestWithAProblemNamingTheField() {
        Http.Answer missing = http.post("/predict", "[{\"pclass\": 1, \"sex\": \"male\", \"fare\": 1}, {\"sex\": \"male\", \"fare\": 1}]");
        Http.Answer encode = http.post("/predict", "{\"pclass\": 1, \"sex\": \"x\", \"fare\": 1}");
        Http.Answer malformed = http.post("/predict", "{\"pclass\": ");

        assertProblem(missing, 400, "[1].pclass: missing");
        assertProblem(encode, 400, "field 'sex': 'x' is not one of [male, female]");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.json().get("detail").asText()).startsWith("body: malformed JSON: ");
        assertThat(malformed.text()).doesNotContain("at [Source").doesNotContain("Exception");
    }

    @Test
    void answersLivenessReadinessAndModelReadiness() {
        assertThat(http.get("/v2/health/live").json().get("live").asBoolean()).isTrue();
        assertThat(http.get("/v2/health/ready").status()).isEqualTo(200);
        assertThat(http.get("/v2/models/titanic/ready").json().get("ready").asBoolean()).isTrue();
        assertThat(http.get("/v2/models/titanic/versions/1/ready").status()).isEqualTo(200);
        assertProblem(http.get("/v2/models/other/ready"), 404, "no model 'other' here: this server serves 'titanic'");
        assertProblem(http.get("/v2/models/titanic/versions/2/ready"), 404,
                "model 'titanic' has no version '2' here: this server serves version '1'");
    }

    @Test
    void describesTheModelInV2Metadata() {
        JsonNode metadata = http.get("/v2/models/titanic").json();

        assertThat(metadata.get("name").asText()).isEqualTo("titanic");
        assertThat(metadata.get("versions").toString()).isEqualTo("[\"1\"]");
        assertThat(metadata.get("platform").asText()).isEqualTo("onnxruntime");
        assertThat(metadata.get("inputs").toString()).isEqualTo("[{\"name\":\"features\",\"datatype\":\"FP32\",\"shape\":[-1,4]}]");
        assertThat(metadata.get("outputs").toString()).isEqualTo("[{\"name\":\"scores\",\"datatype\":\"FP32\",\"shape\":[-1,2]}]");
        assertThat(http.get("/v2/models/titanic/versions/1").json()).isEqualTo(metadata);
    }

    @Test
    void infersV2TensorsFlatOrNested() {
        String flat = "{\"id\": \"r-1\", \"inputs\": [{\"name\": \"features\", \"datatype\": \"FP32\", \"shape\": [2, 4],"
                + " \"data\": [1, 1, 0.57, 0.78, 3, 0, -0.53, -0.5]}]}";
        String nested = flat.replace("[1, 1, 0.57, 0.78, 3, 0, -0.53, -0.5]", "[[1, 1, 0.57, 0.78], [3, 0, -0.53, -0.5]]");

        Http.Answer answer = http.post("/v2/models/titanic/infer", flat);

        assertThat(answer.status()).isEqualTo(200);
        JsonNode json = answer.json();
        assertThat(json.get("model_name").asText()).isEqualTo("titanic");
        assertThat(json.get("model_version").asText()).isEqualTo("1");
        assertThat(json.get("id").asText()).isEqualTo("r-1");
        JsonNode out = json.get("outputs").get(0);
        assertThat(out.get("name").asText()).isEqualTo("scores");
        assertThat(out.get("datatype").asText()).isEqualTo("FP32");
        assertThat(out.get("shape").toString()).isEqualTo("[2,2]");
        assertThat(out.get("data")).hasSize(4);
        assertThat(out.get("data").get(0).doubleValue() + out.get("data").get(1).doubleValue()).isCloseTo(1.0, within(1e-6));
        assertThat(http.post("/v2/models/titanic/versions/1/infer", nested).json().get("outputs")).isEqualTo(json.get("outputs"));
    }

    @Test
    void refusesBadV2TensorsNamingTheInput() {
        String good = "{\"inputs\": [{\"name\": \"features\", \"datatype\": \"FP32\", \"shape\": [1, 4], \"data\": [1, 2, 3, 4]}]}";
        String path = "/v2/models/titanic/infer";

        assertProblem(http.post(path, good.replace("\"features\"", "\"feats\"")), 400,
                "inputs[0].name: 'feats' is not an input of the model; its inputs: [features]");
        assertProblem(http.post(path, good.replace("FP32", "FP64")), 400, "input 'features': datatype FP64, but the model takes FP32");
        assertProblem(http.post(path, good.replace("FP32", "BYTES")), 400,
                "input 'features': datatype BYTES is not supported; use FP32, FP64, INT64, INT32 or BOOL");
        assertProblem(http.post(path, good.replace("[1, 4]", "[1, 3]")), 400, "input 'features': shape [1, 3] does not fit the model's [-1, 4]");
        assertProblem(http.post(path, good.replace("[1, 2, 3, 4]", "[1, 2, 3]")), 400, "input 'features': shape [1, 4] needs 4 values but data has 3");
        assertProblem(http.post(path, good.replace("[1, 2, 3, 4]", "[1, 2, \"x\", 4]")), 400,
                "input 'features': data[2] (counting flat) must be a number, not \"x\"");
        assertProblem(http.post(path, "{\"inputs\": []}"), 400, "inputs: a non-empty list of tensors is required");
        assertProblem(http.post("/v2/models/other/infer", good), 404, "no model 'other' here: this server serves 'titanic'");
    }

    @Test
    void sendsOnlyTheOutputsAsked() {
        String body = "{\"inputs\": [{\"name\": \"features\", \"datatype\": \"FP32\", \"shape\": [1, 4], \"data\": [1, 2, 3, 4]}],"
                + " \"outputs\": [{\"name\": \"scores\"}]}";

        assertThat(http.post("/v2/models/titanic/infer", body).json().get("outputs")).hasSize(1);
        assertProblem(http.post("/v2/models/titanic/infer", body.replace("{\"name\": \"scores\"}", "{\"name\": \"logits\"}")), 400,
                "outputs[0].name: 'logits' is not an output of the model; its outputs: [scores]");
    }

    @Test
    void exposesRequestCountsAndStageLatenciesToPrometheus() {
        http.post("/predict", "{\"pclass\": 1, \"sex\": \"female\", \"age\": 38, \"fare\": 71.28}");
        http.post("/predict", "{}");

        Http.Answer metrics = http.get("/metrics");

        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.contentType()).startsWith("text/plain");
        assertThat(metrics.text())
                .containsPattern("lattice_model_requests_total\\{[^}]*outcome=\"success\"[^}]*route=\"/predict\"[^}]*} [1-9]")
                .containsPattern("lattice_model_requests_total\\{[^}]*outcome=\"client_error\"[^}]*route=\"/predict\"")
                .containsPattern("lattice_model_inference_seconds\\{[^}]*route=\"predict\"[^}]*quantile=\"0.99\"")
                .contains("lattice_model_preprocess_seconds_count", "lattice_model_postprocess_seconds_count")
                .contains("model=\"titanic\"", "version=\"1\"");
    }

    @Test
    void refusesEveryRouteButMetricsWithoutTheKey() {
        String predict = "{\"pclass\": 1, \"sex\": \"female\", \"age\": 38, \"fare\": 71.28}";
        for (Http stranger : new Http[] {http.withKey(null), http.withKey("wrong"), http.withKey(Http.KEY + "x"),
                http.withKey(Http.KEY.substring(1))}) {
            assertProblem(stranger.post("/predict", predict), 401,
                    "this internal port answers platform processes only: send Authorization: Bearer <the platform's key>");
            assertThat(stranger.post("/v2/models/titanic/infer", "{}").status()).isEqualTo(401);
            assertThat(stranger.get("/v2/health/live").status()).isEqualTo(401);
            assertThat(stranger.get("/v2/health/ready").status()).isEqualTo(401);
            assertThat(stranger.get("/v2/models/titanic").status()).isEqualTo(401);
            assertThat(stranger.get("/nowhere").status()).isEqualTo(401);
            assertThat(stranger.get("/metrics").status()).isEqualTo(200);
        }
        assertThat(http.post("/predict", predict).status()).isEqualTo(200);
    }

    @Test
    void answersUnknownRoutesWithAProblem() {
        Http.Answer answer = http.get("/nowhere");

        assertProblem(answer, 404, "Endpoint GET /nowhere not found");
    }

    @Test
    void answersNotReadyUntilTheModelIsLoadedAndWarm() {
        Path model = TestModels.Linear.of(W, B).activation("Softmax").names("x", "y").write(dir);
        ModelServerMain loading = ModelServerMain.listen(config("late", model, CONTRACT));
        try {
            Http late = Http.on(loading.port());
            assertThat(late.get("/v2/health/live").status()).isEqualTo(200);
            assertProblem(late.get("/v2/health/ready"), 503, "model 'late' is still loading");
            assertProblem(late.get("/v2/models/late/ready"), 503, "model 'late' is still loading");
            assertThat(late.post("/predict", "{\"pclass\": 1, \"sex\": \"male\", \"fare\": 1}").status()).isEqualTo(503);

            loading.load();

            assertThat(late.get("/v2/health/ready").status()).isEqualTo(200);
            assertThat(late.post("/predict", "{\"pclass\": 1, \"sex\": \"male\", \"fare\": 1}").status()).isEqualTo(200);
        } finally {
            loading.close();
        }
        assertThat(loading.isReady()).isFalse();
    }

    @Test
    void servesOnlyV2WithoutAContract() {
        Path model = TestModels.write(dir.resolve("typed.onnx"), TestModels.typed());
        try (ModelServerMain typed = ModelServerMain.start(config("typed", model, null))) {
            Http client = Http.on(typed.port());
            String body = """
                    {"inputs": [
                      {"name": "f64", "datatype": "FP64", "shape": [1, 2], "data": [[0.1, 1e300]]},
                      {"name": "i64", "datatype": "INT64", "shape": [2], "data": [9007199254740993, -1]},
                      {"name": "i32", "datatype": "INT32", "shape": [1, 2], "data": [2147483647, -2147483648]},
                      {"name": "flag", "datatype": "BOOL", "shape": [2], "data": [true, false]}]}""";

            JsonNode outputs = client.post("/v2/models/typed/infer", body).json().get("outputs");

            assertThat(outputs.toString()).isEqualTo("[{\"name\":\"f64_out\",\"datatype\":\"FP64\",\"shape\":[1,2],\"data\":[0.1,1.0E300]},"
                    + "{\"name\":\"i64_out\",\"datatype\":\"INT64\",\"shape\":[2],\"data\":[9007199254740993,-1]},"
                    + "{\"name\":\"i32_out\",\"datatype\":\"INT32\",\"shape\":[1,2],\"data\":[2147483647,-2147483648]},"
                    + "{\"name\":\"flag_out\",\"datatype\":\"BOOL\",\"shape\":[2],\"data\":[true,false]}]");
            assertProblem(client.post("/v2/models/typed/infer", body.replace("[true, false]", "[1, 0]")), 400,
                    "input 'flag': data[0] (counting flat) must be true or false, not 1");
            assertProblem(client.post("/v2/models/typed/infer", body.replace("2147483647,", "2147483648,")), 400,
                    "input 'i32': data[0] (counting flat) must be an INT32 integer, not 2147483648");
            assertProblem(client.post("/v2/models/typed/infer", body.replace(",\n  {\"name\": \"flag\", \"datatype\": \"BOOL\", \"shape\": [2], \"data\": [true, false]}", "")),
                    400, "inputs: the model also needs input 'flag'");
            assertProblem(client.post("/predict", "{}"), 404, "model 'typed' was deployed without a contract: use POST /v2/models/typed/infer");
        }
    }

    @Test
    void runsOneRowAtATimeWhenTheBatchIsFixedAndAppliesAThreshold() {
        Path model = TestModels.Linear.of(new float[][] {{1f}}, new float[] {0f}).activation("Sigmoid").fixedBatch().names("x", "p").write(dir);
        String contract = "preprocess: {fields: [v]}\npostprocess: {threshold: {value: 0.5, labels: [normal, anomaly]}}";
        try (ModelServerMain fixed = ModelServerMain.start(config("anomaly", model, contract))) {
            JsonNode answers = Http.on(fixed.port()).post("/predict", "[{\"v\": -2}, {\"v\": 0}, {\"v\": 3}]").json();

            assertThat(answers).extracting(a -> a.get("label").asText()).containsExactly("normal", "anomaly", "anomaly");
            assertThat(answers.get(2).get("score").doubleValue()).isCloseTo(1 / (1 + Math.exp(-3)), within(1e-6));
        }
    }

    @Test
    void refusesToStartWhenTheContractDoesNotFitTheModel() {
        Path model = TestModels.Linear.of(W, B).activation("Softmax").withZipMap().names("features", "probabilities").write(dir);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ModelServerMain.start(config("zip", model, CONTRACT)))
                .hasMessage("contract: the model has 2 outputs [probabilities, output_probability]: name one in postprocess.output");
    }

    private static ModelServerConfig config(String name, Path model, String contract) {
        Map<String, String> env = contract == null ? Map.of(ModelServerConfig.KEY_ENV, Http.KEY)
                : Map.of(ModelServerConfig.CONTRACT_ENV, Contract.parse(contract).toJson(), ModelServerConfig.KEY_ENV, Http.KEY);
        return ModelServerConfig.of(name, "1", model, "127.0.0.1", 0, env);
    }

    static void assertProblem(Http.Answer answer, int status, String detail) {
        assertThat(answer.status()).as(answer.text()).isEqualTo(status);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        JsonNode problem = answer.json();
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("title").asText()).isNotBlank();
        assertThat(problem.get("code").asText()).isNotBlank();
        assertThat(problem.get("detail").asText()).isEqualTo(detail);
    }
}
