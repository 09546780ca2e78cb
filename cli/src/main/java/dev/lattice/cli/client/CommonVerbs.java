package dev.lattice.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.lattice.core.Json;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.StringJoiner;

/** The verbs most nouns share (list, get, create, delete) and the helpers the others use. */
final class CommonVerbs {
    private static final YAMLMapper YAML = new YAMLMapper();

    private CommonVerbs() {}

    static Verb list(String path, String... filters) {
        Verb v = Verb.of("list", "List them (GET " + path + ").")
                .option("--limit", "N", "at most N").option("--offset", "N", "skip the first N");
        for (String f : filters) v.option("--" + f, "VALUE", "only those whose " + f + " is VALUE");
        return v.does(in -> {
            StringJoiner query = new StringJoiner("&");
            for (String f : filters) addQuery(query, f, in.option("--" + f));
            addQuery(query, "limit", in.option("--limit"));
            addQuery(query, "offset", in.option("--offset"));
            in.print(in.client().call("GET", path + (query.length() == 0 ? "" : "?" + query), null).json());
            return 0;
        });
    }

    static Verb get(String path, String label) {
        return Verb.of("get", "Show one (GET " + path + "/{" + label + "}).").arg(label, "which one").does(in -> {
            in.print(in.client().call("GET", path + "/" + seg(in.positional(0)), null).json());
            return 0;
        });
    }

    /** {@code create -f FILE|-} (JSON or YAML), and {@code --FIELD VALUE} for each of {@code fields}, which win over the file. */
    static Verb create(String path, String... fields) {
        Verb v = Verb.of("create", "Create one (POST " + path + ") from -f FILE (JSON or YAML, - for stdin) and/or the field options.")
                .option("-f,--file", "FILE", "the body, JSON or YAML; - reads stdin");
        for (String f : fields) v.option("--" + kebab(f), "VALUE", "the body's " + f + " (JSON values such as 3 or true are typed)");
        return v.does(in -> {
            ObjectNode body = body(in.option("--file"));
            for (String f : fields) {
                String value = in.option("--" + kebab(f));
                if (value != null) body.set(f, typed(value));
            }
            if (body.isEmpty()) throw new ClientException(ClientException.USAGE, "nothing to create: give -f FILE or the field options (see --help)");
            in.print(in.client().call("POST", path, Json.bytes(body)).json());
            return 0;
        });
    }

    static Verb delete(String path, String label) {
        return Verb.of("delete", "Delete one (DELETE " + path + "/{" + label + "}).").arg(label, "which one").does(in -> {
            ApiClient.Answer a = in.client().call("DELETE", path + "/" + seg(in.positional(0)), null);
            if (a.isJson()) in.print(a.json());
            else in.err().println(in.positional(0) + " deleted");
            return 0;
        });
    }

    /** Prints the JSON of each event of a server-sent stream, one per line, until it ends (Ctrl-C to stop). */
    static int follow(Invocation in, String path) {
        Output output = in.output();
        in.client().stream(path, data -> {
            try {
                JsonNode event = Json.read(data.getBytes(StandardCharsets.UTF_8), JsonNode.class);
                if (output == Output.TABLE) in.out().println(Json.string(event));
                else output.print(event, in.out());
            } catch (RuntimeException notJson) {
                in.out().println(data);
            }
        });
        return 0;
    }

    /** Prints text logs; with {@code follow}, asks again every second and prints the lines that are new. */
    /** Lines asked for on each poll of {@code logs --follow}: more than a workload writes in a second, as a rule. */
    static final int FOLLOW_TAIL = 500;

    static int logs(Invocation in, String path, boolean follow) throws InterruptedException {
        String tail = in.option("--tail");
        ApiClient client = in.client();
        String text = client.call("GET", path + (tail == null ? "" : "?tail=" + enc(tail)), null).text();
        in.out().print(text);
        while (follow) {
            Thread.sleep(1000);
            // Only the newest lines each second (the API has no "since"): what follows the last line shown is new.
            String now = client.call("GET", path + "?tail=" + FOLLOW_TAIL, null).text();
            now = now.substring(0, now.lastIndexOf('\n') + 1); // whole lines only: a half-written one comes next time
            if (now.isEmpty()) continue;
            if (!now.equals(text)) in.out().print(lastLinesNotIn(text, now));
            in.out().flush();
            text = now;
        }
        return 0;
    }

    /** What of {@code now} (the log's newest lines) follows the last line of {@code before}; all of it if that line is gone. */
    static String lastLinesNotIn(String before, String now) {
        String[] old = before.split("\n");
        String last = old.length == 0 ? "" : old[old.length - 1];
        if (last.isEmpty()) return now;
        int at = now.lastIndexOf(last + "\n");
        return at < 0 ? now : now.substring(at + last.length() + 1);
    }

    /** A body from {@code -f}: JSON or YAML, {@code -} for stdin; an empty object when not given. */
    static ObjectNode body(String file) {
        if (file == null) return Json.MAPPER.createObjectNode();
        byte[] raw;
        try {
            raw = file.equals("-") ? System.in.readAllBytes() : Files.readAllBytes(Path.of(file));
        } catch (IOException e) {
            throw new ClientException(ClientException.USAGE, "-f: cannot read " + file + ": " + e.getMessage());
        }
        JsonNode parsed;
        try {
            parsed = YAML.readTree(raw); // YAML is a superset of JSON: one parser for both
        } catch (IOException e) {
            throw new ClientException(ClientException.USAGE, "-f: " + file + " is neither JSON nor YAML: " + e.getMessage());
        }
        if (parsed == null || !parsed.isObject()) throw new ClientException(ClientException.USAGE, "-f: " + file + " must hold one object");
        return (ObjectNode) parsed;
    }

    /** {@code -d JSON} or {@code -d @FILE}. */
    static byte[] data(String data) {
        if (data == null) throw new ClientException(ClientException.USAGE, "-d: give the body, as JSON or @FILE");
        return data.startsWith("@") ? read(data.substring(1)) : data.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] read(String file) {
        try {
            return file.equals("-") ? System.in.readAllBytes() : Files.readAllBytes(Path.of(file));
        } catch (IOException e) {
            throw new ClientException(ClientException.USAGE, "cannot read " + file + ": " + e.getMessage());
        }
    }

    /** {@code KEY=VALUE} pairs into an object, values typed as JSON where they parse ({@code 3}, {@code true}). */
    static ObjectNode pairs(String option, List<String> pairs) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        for (String p : pairs) {
            int eq = p.indexOf('=');
            if (eq <= 0) throw new ClientException(ClientException.USAGE, option + ": '" + p + "' is not KEY=VALUE");
            out.set(p.substring(0, eq), typed(p.substring(eq + 1)));
        }
        return out;
    }

    static JsonNode typed(String value) {
        try {
            JsonNode n = Json.MAPPER.readTree(value);
            if (n != null && (n.isNumber() || n.isBoolean() || n.isContainerNode() || n.isNull())) return n;
        } catch (IOException | RuntimeException notJson) {
            // a plain string
        }
        return Json.MAPPER.getNodeFactory().textNode(value);
    }

    static String seg(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static void addQuery(StringJoiner query, String key, String value) {
        if (value != null) query.add(enc(key) + "=" + enc(value));
    }

    static String kebab(String camel) {
        return camel.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }
}
