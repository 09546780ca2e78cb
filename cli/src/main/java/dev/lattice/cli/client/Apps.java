package dev.lattice.cli.client;

import static dev.lattice.cli.client.CommonVerbs.get;
import static dev.lattice.cli.client.CommonVerbs.list;
import static dev.lattice.cli.client.CommonVerbs.seg;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lattice.core.Json;
import java.util.List;

/** {@code lattice apps list|get|upload|run}. */
final class Apps {
    private static final String PATH = "/api/v1/apps";

    private Apps() {}

    static List<Verb> verbs() {
        return List.of(list(PATH), get(PATH, "NAME"),
                Verb.of("upload", "Upload an application: its jar or bundle and its config.")
                        .option("--app", "FILE", "a .jar (runtime java) or a .zip/.tar.gz bundle (runtime command)")
                        .option("--config", "FILE", "the config (JSON or YAML)")
                        .does(in -> Models.upload(in, PATH, List.of(
                                new ApiClient.Part("app", Nouns.file(in, "--app")),
                                new ApiClient.Part("config", Nouns.file(in, "--config"))))),
                Verb.of("run", "Start an instance of it with the sensors and controllers you choose.").arg("NAME", "the application")
                        .repeated("--bind,-b", "BINDING=ID[,ID...]", "the instances a binding uses (repeat for more)")
                        .repeated("--param,-p", "NAME=VALUE", "a setting the app declares")
                        .option("--cron", "CRON", "run on this schedule (Quartz cron with seconds)")
                        .option("--at", "INSTANT", "run once at this ISO-8601 time")
                        .option("--duration-seconds", "N", "stop each run after N seconds")
                        .does(in -> {
                            ObjectNode body = Json.MAPPER.createObjectNode();
                            ObjectNode bindings = body.putObject("bindings");
                            for (String b : in.options("--bind")) {
                                int eq = b.indexOf('=');
                                if (eq <= 0) throw new ClientException(ClientException.USAGE, "--bind: '" + b + "' is not BINDING=ID");
                                ArrayNode ids = bindings.has(b.substring(0, eq)) ? (ArrayNode) bindings.get(b.substring(0, eq))
                                        : bindings.putArray(b.substring(0, eq));
                                for (String id : b.substring(eq + 1).split(",")) if (!id.isBlank()) ids.add(id.strip());
                            }
                            if (!in.options("--param").isEmpty()) body.set("params", CommonVerbs.pairs("--param", in.options("--param")));
                            if (in.option("--cron") != null || in.option("--at") != null) {
                                ObjectNode schedule = body.putObject("schedule");
                                if (in.option("--cron") != null) schedule.put("cron", in.option("--cron"));
                                if (in.option("--at") != null) schedule.put("at", in.option("--at"));
                                if (in.option("--duration-seconds") != null) {
                                    schedule.set("durationSeconds", CommonVerbs.typed(in.option("--duration-seconds")));
                                }
                            }
                            return Nouns.print(in, "POST", PATH + "/" + seg(in.positional(0)) + "/instances", Json.bytes(body));
                        }));
    }
}
