package dev.lattice.cli.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lattice.core.Json;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/** {@code lattice users create}: the password from stdin or a prompt, never from a flag (it would sit in the shell's history). */
final class Users {
    private Users() {}

    static Verb create() {
        return Verb.of("create", "Create a user (admin).").option("--username", "NAME", "the new user's name")
                .option("--role", "ROLE", "admin, data-scientist, platform-configurer, app-developer or end-user")
                .flag("--password-stdin", "read the password from the first line of stdin (else a prompt)")
                .does(in -> {
                    ObjectNode body = Json.MAPPER.createObjectNode();
                    body.put("username", required(in, "--username"));
                    body.put("role", required(in, "--role"));
                    body.put("password", password(in.flag("--password-stdin"), "password for " + in.option("--username")));
                    return Nouns.print(in, "POST", "/api/v1/users", Json.bytes(body));
                });
    }

    static String required(Invocation in, String option) {
        String v = in.option(option);
        if (v == null || v.isBlank()) throw new ClientException(ClientException.USAGE, option + ": is required");
        return v;
    }

    /** The first line of stdin, or a prompt without echo on a terminal. */
    static String password(boolean fromStdin, String prompt) {
        if (fromStdin) {
            try {
                String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                if (line == null || line.isEmpty()) throw new ClientException(ClientException.USAGE, "--password-stdin: stdin is empty");
                return line;
            } catch (IOException e) {
                throw new ClientException(ClientException.USAGE, "--password-stdin: " + e.getMessage());
            }
        }
        Console console = System.console();
        if (console == null) throw new ClientException(ClientException.USAGE, "no terminal to ask for the password on: use --password-stdin");
        char[] typed = console.readPassword("%s: ", prompt);
        if (typed == null || typed.length == 0) throw new ClientException(ClientException.USAGE, "no password given");
        return new String(typed);
    }
}
