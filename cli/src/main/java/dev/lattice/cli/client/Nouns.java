package dev.lattice.cli.client;

import static dev.lattice.cli.client.CommonVerbs.create;
import static dev.lattice.cli.client.CommonVerbs.delete;
import static dev.lattice.cli.client.CommonVerbs.get;
import static dev.lattice.cli.client.CommonVerbs.list;
import static dev.lattice.cli.client.CommonVerbs.seg;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lattice.core.Json;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Every noun of {@code lattice NOUN VERB} and its verbs, one line of this table per route of the
 * API (API.md "CLI"). A route added to the gateway gets its verb here.
 */
public final class Nouns {
    private static final String V1 = "/api/v1";

    private Nouns() {}

    static Map<String, List<Verb>> table() {
        Map<String, List<Verb>> t = new java.util.LinkedHashMap<>();
        t.put("users", List.of(list(V1 + "/users"), Users.create(), Verb.of("me", "Who the token is (GET /api/v1/me).")
                .does(in -> print(in, "GET", V1 + "/me", null))));
        t.put("sensor-types", List.of(list(V1 + "/sensor-types"), get(V1 + "/sensor-types", "NAME"),
                create(V1 + "/sensor-types", "name", "description"), delete(V1 + "/sensor-types", "NAME")));
        t.put("sensor-instances", List.of(list(V1 + "/sensor-instances", "type", "location", "near", "withinKm"),
                get(V1 + "/sensor-instances", "ID"), create(V1 + "/sensor-instances", "type", "name"),
                delete(V1 + "/sensor-instances", "ID"),
                Verb.of("readings", "Its newest readings; --follow streams new ones.").arg("ID", "the sensor instance")
                        .option("--limit", "N", "at most N").flag("--follow,-w", "stream new readings until stopped")
                        .does(in -> in.flag("--follow") ? CommonVerbs.follow(in, instance(in, "sensor-instances") + "/stream")
                                : print(in, "GET", instance(in, "sensor-instances") + "/readings" + limit(in), null)),
                Verb.of("stream", "Stream its readings as they come (server-sent events).").arg("ID", "the sensor instance")
                        .does(in -> CommonVerbs.follow(in, instance(in, "sensor-instances") + "/stream")),
                Verb.of("publish", "Send it a reading over HTTP (as the device, with its token in LATTICE_TOKEN, or as a configurer).")
                        .arg("ID", "the sensor instance").option("-d,--data", "JSON|@FILE", "the reading, e.g. {\"celsius\":21.5}")
                        .does(in -> print(in, "POST", instance(in, "sensor-instances") + "/readings", CommonVerbs.data(in.option("--data"))))));
        t.put("controller-types", List.of(list(V1 + "/controller-types"), get(V1 + "/controller-types", "NAME"),
                create(V1 + "/controller-types", "name", "description"), delete(V1 + "/controller-types", "NAME")));
        t.put("controller-instances", List.of(list(V1 + "/controller-instances", "type", "location", "near", "withinKm"),
                get(V1 + "/controller-instances", "ID"), create(V1 + "/controller-instances", "type", "name"),
                delete(V1 + "/controller-instances", "ID"),
                Verb.of("command", "Send it a command.").arg("ID", "the controller instance").arg("COMMAND", "the command's name")
                        .repeated("--param,-p", "NAME=VALUE", "a parameter of the command")
                        .does(in -> {
                            ObjectNode body = Json.MAPPER.createObjectNode().put("command", in.positional(1));
                            body.set("params", CommonVerbs.pairs("--param", in.options("--param")));
                            return print(in, "POST", instance(in, "controller-instances") + "/commands", Json.bytes(body));
                        }),
                Verb.of("commands", "The commands sent to it, and their status.").arg("ID", "the controller instance")
                        .does(in -> print(in, "GET", instance(in, "controller-instances") + "/commands", null))));
        t.put("models", Models.verbs());
        t.put("apps", Apps.verbs());
        t.put("app-instances", List.of(list(V1 + "/app-instances", "app"), get(V1 + "/app-instances", "ID"),
                delete(V1 + "/app-instances", "ID"),
                Verb.of("logs", "Its log (text).").arg("ID", "the app instance").option("--tail", "N", "the last N lines")
                        .flag("--follow,-w", "keep printing new lines").does(in ->
                                CommonVerbs.logs(in, instance(in, "app-instances") + "/logs", in.flag("--follow"))),
                Verb.of("outputs", "What it reported; --follow streams new outputs.").arg("ID", "the app instance")
                        .option("--limit", "N", "at most N").flag("--follow,-w", "stream new outputs until stopped")
                        .does(in -> in.flag("--follow") ? CommonVerbs.follow(in, instance(in, "app-instances") + "/outputs/stream")
                                : print(in, "GET", instance(in, "app-instances") + "/outputs" + limit(in), null)),
                Verb.of("report", "Report an output (as the app, with its token in LATTICE_TOKEN).").arg("ID", "the app instance")
                        .option("-d,--data", "JSON|@FILE", "the output's value")
                        .does(in -> print(in, "POST", instance(in, "app-instances") + "/outputs", CommonVerbs.data(in.option("--data"))))));
        t.put("artefacts", List.of(
                Verb.of("upload", "Store a file by its SHA-256 (what agents fetch workloads' files from).").arg("FILE", "the file")
                        .does(in -> {
                            byte[] bytes = CommonVerbs.read(in.positional(0));
                            ApiClient.Answer a = in.client().call("POST", V1 + "/artefacts", bytes, "application/octet-stream");
                            in.print(a.json());
                            return 0;
                        }),
                Verb.of("get", "Fetch a stored file by its SHA-256.").arg("SHA256", "the file's hash")
                        .option("--out", "FILE", "where to write it (default: stdout)").does(in -> {
                            byte[] bytes = in.client().call("GET", V1 + "/artefacts/" + seg(in.positional(0)), null).body();
                            if (in.option("--out") == null) in.out().write(bytes);
                            else java.nio.file.Files.write(Path.of(in.option("--out")), bytes);
                            return 0;
                        })));
        t.put("nodes", List.of(list(V1 + "/nodes"), get(V1 + "/nodes", "NAME"),
                // -f: {"name","docker":{"host","ca","cert","key"},"labels"}, the PEM files' text in it.
                create(V1 + "/nodes", "name"), delete(V1 + "/nodes", "NAME"),
                Verb.of("drain", "Move its workloads elsewhere and place nothing new on it.").arg("NAME", "the node")
                        .does(in -> print(in, "POST", V1 + "/nodes/" + seg(in.positional(0)) + "/drain", null)),
                Verb.of("undrain", "Let it take workloads again.").arg("NAME", "the node")
                        .does(in -> print(in, "POST", V1 + "/nodes/" + seg(in.positional(0)) + "/undrain", null)),
                Verb.of("join-tokens", "List the join tokens (never their secret).").does(in -> print(in, "GET", V1 + "/nodes/join-tokens", null)),
                Verb.of("create-join-token", "Make a join token (shown once).").option("--name", "TEXT", "what it is for")
                        .option("--expires-at", "INSTANT", "ISO-8601; default: never").does(in -> {
                            ObjectNode body = Json.MAPPER.createObjectNode();
                            if (in.option("--name") != null) body.put("name", in.option("--name"));
                            if (in.option("--expires-at") != null) body.put("expiresAt", in.option("--expires-at"));
                            return print(in, "POST", V1 + "/nodes/join-tokens", Json.bytes(body));
                        }),
                Verb.of("revoke-join-token", "Revoke a join token.").arg("ID", "the token's id")
                        .does(in -> print(in, "DELETE", V1 + "/nodes/join-tokens/" + seg(in.positional(0)), null))));
        t.put("deployments", List.of(list(V1 + "/deployments"), get(V1 + "/deployments", "NAME"),
                create(V1 + "/deployments", "name", "image", "replicas", "node"), delete(V1 + "/deployments", "NAME")));
        t.put("workloads", List.of(list(V1 + "/workloads", "deployment", "node"), get(V1 + "/workloads", "ID"),
                Verb.of("logs", "Its log (text).").arg("ID", "the workload").option("--tail", "N", "the last N lines")
                        .flag("--follow,-w", "keep printing new lines").does(in ->
                                CommonVerbs.logs(in, instance(in, "workloads") + "/logs", in.flag("--follow")))));
        t.put("events", List.of(
                Verb.of("list", "Events, newest first; --follow then streams new ones.").option("--limit", "N", "at most N")
                        .flag("--follow,-w", "then stream new events until stopped").does(in -> {
                            print(in, "GET", V1 + "/events" + limit(in), null);
                            return in.flag("--follow") ? CommonVerbs.follow(in, V1 + "/events/stream") : 0;
                        }),
                Verb.of("stream", "Stream events as they happen.").does(in -> CommonVerbs.follow(in, V1 + "/events/stream"))));
        t.put("api-keys", List.of(list(V1 + "/api-keys"), create(V1 + "/api-keys", "name", "role", "expiresAt"),
                delete(V1 + "/api-keys", "ID")));
        t.put("webhooks", List.of(list(V1 + "/webhooks"),
                create(V1 + "/webhooks", "url", "events", "secret"), delete(V1 + "/webhooks", "ID"),
                Verb.of("deliveries", "What was sent to it: each event, its attempts and status, newest first.").arg("ID", "the webhook")
                        .does(in -> print(in, "GET", V1 + "/webhooks/" + seg(in.positional(0)) + "/deliveries", null))));
        t.put("audit", List.of(Verb.of("list", "Requests that changed state, refused ones included, newest first (admin).")
                .option("--user", "NAME", "only this user (or key:ID, device:ID, app:ID)")
                .option("--since", "INSTANT", "ISO-8601, e.g. 2026-12-06T08:00:00Z").option("--limit", "N", "at most N (default 100)")
                .does(in -> {
                    List<String> q = new ArrayList<>();
                    for (String f : List.of("user", "since", "limit")) {
                        if (in.option("--" + f) != null) q.add(f + "=" + CommonVerbs.enc(in.option("--" + f)));
                    }
                    return print(in, "GET", V1 + "/audit" + (q.isEmpty() ? "" : "?" + String.join("&", q)), null);
                })));
        t.put("metrics", List.of(
                Verb.of("targets", "Every process serving /metrics, in Prometheus' HTTP-SD form (admin).")
                        .does(in -> print(in, "GET", V1 + "/metrics/targets", null)),
                Verb.of("summary", "Readings, predictions, workloads and lag now, read from every process's /metrics (admin).")
                        .does(in -> print(in, "GET", V1 + "/metrics/summary", null))));
        t.put("health", List.of(Verb.of("get", "The platform's health (no token needed).").does(in -> print(in, "GET", V1 + "/health", null))));
        return t;
    }

    /** Adds every noun, with its verbs, to the top command. */
    public static void addTo(CommandLine top, Map<String, String> env) {
        for (var noun : table().entrySet()) {
            CommandSpec spec = CommandSpec.create().name(noun.getKey());
            spec.addOption(Verb.helpOption());
            spec.usageMessage().description("lattice " + noun.getKey() + " VERB: " + String.join(", ",
                    noun.getValue().stream().map(Verb::name).toList()));
            CommandLine nounLine = new CommandLine(spec);
            for (Verb v : noun.getValue()) nounLine.addSubcommand(v.name(), v.command(env));
            top.addSubcommand(noun.getKey(), nounLine);
        }
        top.addSubcommand("login", Login.verb().command(env));
    }

    static int print(Invocation in, String method, String path, byte[] body) {
        ApiClient.Answer a = in.client().call(method, path, body);
        if (a.isJson()) in.print(a.json());
        else if (a.body().length > 0) in.out().println(a.text());
        return 0;
    }

    static String instance(Invocation in, String noun) {
        return V1 + "/" + noun + "/" + seg(in.positional(0));
    }

    static String limit(Invocation in) {
        return in.option("--limit") == null ? "" : "?limit=" + CommonVerbs.enc(in.option("--limit"));
    }

    static Path file(Invocation in, String option) {
        String f = in.option(option);
        if (f == null) throw new ClientException(ClientException.USAGE, option + ": is required");
        return Path.of(f);
    }
}
