package dev.lattice.cli.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.lattice.core.Json;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Prints an API answer as a table (for people), JSON or YAML (for scripts): {@code -o table|json|yaml}. */
public enum Output {
    TABLE, JSON, YAML;

    private static final int MAX_COLUMNS = 8;
    private static final int MAX_CELL = 48;
    private static final YAMLMapper YAML_MAPPER = YAMLMapper.builder().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).build();

    /** {@code -o} as given, else a table on a terminal and JSON otherwise (API.md "CLI"). */
    public static Output choose(String option, boolean terminal) {
        if (option == null || option.isBlank()) return terminal ? TABLE : JSON;
        try {
            return valueOf(option.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ClientException(ClientException.USAGE, "-o: '" + option + "' is not one of table, json, yaml");
        }
    }

    public void print(JsonNode value, PrintStream out) {
        switch (this) {
            case JSON -> out.println(Json.string(value));
            case YAML -> {
                try {
                    out.print(YAML_MAPPER.writeValueAsString(value));
                } catch (JsonProcessingException e) {
                    throw new IllegalStateException(e);
                }
            }
            case TABLE -> table(value, out);
        }
        out.flush();
    }

    private static void table(JsonNode value, PrintStream out) {
        if (value.isArray()) {
            if (value.isEmpty()) {
                out.println("(none)");
                return;
            }
            Set<String> columns = new LinkedHashSet<>();
            for (JsonNode row : value) row.fieldNames().forEachRemaining(f -> {
                if (columns.size() < MAX_COLUMNS) columns.add(f);
            });
            if (columns.isEmpty()) {
                for (JsonNode row : value) out.println(cell(row));
                return;
            }
            List<List<String>> rows = new ArrayList<>();
            rows.add(columns.stream().map(c -> c.toUpperCase(Locale.ROOT)).toList());
            for (JsonNode row : value) rows.add(columns.stream().map(c -> cell(row.get(c))).toList());
            aligned(rows, out);
        } else if (value.isObject()) {
            List<List<String>> rows = new ArrayList<>();
            for (Iterator<String> it = value.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                JsonNode v = value.get(f);
                rows.add(List.of(f, v.isValueNode() || v.isNull() ? cell(v) : Json.string(v)));
            }
            aligned(rows, out);
        } else {
            out.println(cell(value));
        }
    }

    private static String cell(JsonNode v) {
        if (v == null || v.isNull()) return "-";
        String text = v.isValueNode() ? v.asText() : Json.string(v);
        return text.length() > MAX_CELL ? text.substring(0, MAX_CELL - 1) + "…" : text;
    }

    private static void aligned(List<List<String>> rows, PrintStream out) {
        int n = rows.get(0).size();
        int[] width = new int[n];
        for (List<String> row : rows) for (int i = 0; i < n; i++) width[i] = Math.max(width[i], row.get(i).length());
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < n; i++) {
                line.append(row.get(i));
                if (i < n - 1) line.append(" ".repeat(width[i] - row.get(i).length() + 2));
            }
            out.println(line.toString().stripTrailing());
        }
    }
}
