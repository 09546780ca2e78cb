package dev.lattice.cli.client;

import static dev.lattice.cli.client.CommonVerbs.get;
import static dev.lattice.cli.client.CommonVerbs.list;
import static dev.lattice.cli.client.CommonVerbs.seg;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lattice.core.Json;
import java.util.List;

/** {@code lattice models list|get|upload|deploy|undeploy|predict}. */
final class Models {
    private static final String PATH = "/api/v1/models";

    private Models() {}

    static List<Verb> verbs() {
        return List.of(list(PATH), get(PATH, "NAME"),
                Verb.of("upload", "Upload a model: its file, contract and config (progress shown on a terminal).")
                        .option("--model", "FILE", "the model (ONNX)").option("--contract", "FILE", "the contract (YAML, or Python: a .py file)")
                        .option("--config", "FILE", "the config (JSON or YAML)")
                        .does(in -> upload(in, PATH, List.of(
                                new ApiClient.Part("model", Nouns.file(in, "--model")),
                                new ApiClient.Part("contract", Nouns.file(in, "--contract")),
                                new ApiClient.Part("config", Nouns.file(in, "--config"))))),
                Verb.of("deploy", "Deploy a version (default: the newest) on N replicas.").arg("NAME", "the model")
                        .option("--version", "VERSION", "the model's version").option("--replicas", "N", "how many replicas")
                        .does(in -> {
                            ObjectNode body = Json.MAPPER.createObjectNode();
                            if (in.option("--version") != null) body.put("version", in.option("--version"));
                            if (in.option("--replicas") != null) body.set("replicas", CommonVerbs.typed(in.option("--replicas")));
                            return Nouns.print(in, "POST", PATH + "/" + seg(in.positional(0)) + "/deploy", Json.bytes(body));
                        }),
                Verb.of("undeploy", "Stop serving it.").arg("NAME", "the model")
                        .does(in -> Nouns.print(in, "DELETE", PATH + "/" + seg(in.positional(0)) + "/deploy", null)),
                Verb.of("predict", "Ask it for a prediction: -d '{...}' or -d @FILE (- for stdin).").arg("NAME", "the model")
                        .option("-d,--data", "JSON|@FILE", "the contract's input")
                        .does(in -> Nouns.print(in, "POST", PATH + "/" + seg(in.positional(0)) + "/predict", CommonVerbs.data(in.option("--data")))));
    }

    /** A multipart upload, with progress drawn on stderr when it is a terminal. */
    static int upload(Invocation in, String path, List<ApiClient.Part> parts) {
        ApiClient.Answer a = in.client().upload(path, parts, Invocation.terminal() ? in.err() : null);
        in.print(a.json());
        return 0;
    }
}
