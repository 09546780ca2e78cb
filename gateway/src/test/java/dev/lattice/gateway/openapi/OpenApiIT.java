package dev.lattice.gateway.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lattice.core.Role;
import dev.lattice.gateway.TestHttp;
import dev.lattice.gateway.TestHttp.Response;
import dev.lattice.gateway.TestPlatform;
import dev.lattice.gateway.http.Route;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code GET /api/v1/openapi.json}: valid OpenAPI 3.1, exactly the routes the gateway serves, each with who may call it. */
class OpenApiIT {
    private static TestHttp http;
    private static Response document;

    @BeforeAll
    static void start() {
        http = TestPlatform.http();
        document = http.get("/api/v1/openapi.json", null);
    }

    @Test
    void isPublicAndPassesAStandardValidator() {
        assertThat(document.status()).isEqualTo(200);
        assertThat(document.contentType()).startsWith("application/json");
        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(document.body(), null, null);
        assertThat(parsed.getMessages()).as("validator messages").isEmpty();
        assertThat(parsed.getOpenAPI()).isNotNull();
        assertThat(parsed.getOpenAPI().getOpenapi()).isEqualTo("3.1.0");
        assertThat(document.json().at("/servers/0/url").asText()).isEqualTo("/");
    }

    @Test
    void listsExactlyTheRoutesTheGatewayServesWithTheirRoles() {
        Map<String, Route> served = TestPlatform.gateway().routes().stream()
                .collect(Collectors.toMap(r -> r.method().name() + " " + r.path(), r -> r));
        Set<String> documented = new TreeSet<>();
        JsonNode paths = document.json().get("paths");
        for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext(); ) {
            var path = it.next();
            path.getValue().fields().forEachRemaining(op -> {
                String key = op.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey();
                documented.add(key);
                Route route = served.get(key);
                assertThat(route).as("documented but not served: " + key).isNotNull();
                JsonNode access = op.getValue().get("x-lattice-access");
                Set<String> roles = new TreeSet<>();
                access.get("roles").forEach(r -> roles.add(r.asText()));
                assertThat(roles).as(key).isEqualTo(route.access().roles().stream().map(Role::wireName).collect(Collectors.toCollection(TreeSet::new)));
                assertThat(access.get("public").asBoolean()).as(key).isEqualTo(route.access().open());
                assertThat(op.getValue().get("security").isEmpty()).as(key).isEqualTo(route.access().open());
            });
        }
        assertThat(documented).isEqualTo(new TreeSet<>(served.keySet()));
        assertThat(documented).contains("GET /api/v1/openapi.json", "POST /api/v1/api-keys", "GET /api/v1/audit",
                "POST /v2/models/{name}/infer", "POST /api/v1/models");
        assertThat(paths.at("/~1api~1v1~1models/post/requestBody/content").has("multipart/form-data")).isTrue();
        assertThat(paths.at("/~1api~1v1~1users/post/x-lattice-access/roles").toString()).isEqualTo("[\"admin\"]");
    }

    @Test
    void theUiHasAnApiReferencePageOnIt() {
        Response page = http.get("/api-reference.html", null);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("swagger-ui-bundle.js", "/api-reference.js");
        assertThat(http.get("/api-reference.js", null).body()).contains("/api/v1/openapi.json");
        Response bundle = http.get("/webjars/swagger-ui/5.35.0/swagger-ui-bundle.js", null);
        assertThat(bundle.status()).isEqualTo(200);
    }
}
