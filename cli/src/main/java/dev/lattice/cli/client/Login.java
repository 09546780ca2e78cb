package dev.lattice.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lattice.core.Json;

/**
 * {@code lattice login --url URL --username NAME [--password-stdin]}: logs in and saves URL and
 * token for the next commands (mode 600). The password never comes from a flag (shell history).
 */
final class Login {
    private Login() {}

    static Verb verb() {
        return Verb.of("login", "Log in and save URL and token in $XDG_CONFIG_HOME/lattice/config.json (mode 600).")
                .option("--url", "URL", "the platform's address (default: the saved one, else " + ClientSettings.DEFAULT_URL + ")")
                .option("--username,-u", "NAME", "who logs in")
                .flag("--password-stdin", "read the password from the first line of stdin (else a prompt)")
                .does(in -> {
                    String username = Users.required(in, "--username");
                    String url = in.option("--url") != null ? ClientSettings.stripSlash(in.option("--url"))
                            : ClientSettings.load(in.env()).url();
                    ObjectNode body = Json.MAPPER.createObjectNode().put("username", username)
                            .put("password", Users.password(in.flag("--password-stdin"), "password for " + username + " at " + url));
                    JsonNode answer = new ApiClient(new ClientSettings(url, null))
                            .call("POST", "/api/v1/auth/login", Json.bytes(body)).json();
                    new ClientSettings(url, answer.path("token").asText()).save(in.env());
                    in.err().println("logged in to " + url + " as " + username + " (" + answer.path("role").asText()
                            + "), until " + answer.path("expiresAt").asText() + "; saved in " + ClientSettings.file(in.env()));
                    return 0;
                });
    }
}
