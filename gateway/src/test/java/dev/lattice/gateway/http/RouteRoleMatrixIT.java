package dev.lattice.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lattice.core.Role;
import dev.lattice.gateway.TestHttp;
import dev.lattice.gateway.TestPlatform;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every route the gateway has, called with no token, a bad token, and a token of each role: the
 * route table's access rule must be what the gateway enforces. New routes are covered as soon as
 * they are registered, because the routes come from the running gateway itself.
 */
class RouteRoleMatrixIT {
    private static TestHttp http;
    private static final Map<Role, String> tokens = new EnumMap<>(Role.class);

    @BeforeAll
    static void usersOfEveryRole() {
        http = TestPlatform.http();
        String admin = http.login("admin", TestPlatform.ADMIN_PASSWORD);
        for (Role role : Role.values()) {
            String name = "matrix-" + role.wireName();
            http.ensureUser(admin, name, "password-" + role.wireName(), role.wireName());
            tokens.put(role, http.login(name, "password-" + role.wireName()));
        }
    }

    @Test
    void everyRouteAdmitsExactlyItsRoles() {
        List<String> failures = new ArrayList<>();
        List<Route> routes = TestPlatform.gateway().routes();
        assertThat(routes).isNotEmpty();
        for (Route route : routes) {
            String path = route.path().replaceAll("\\{[^}]+}", "x");
            String body = route.method().name().equals("GET") ? null : "{}";
            String label = route.method() + " " + route.path();

            int anonymous = http.send(route.method().name(), path, null, body).status();
            int forged = http.send(route.method().name(), path, "not.a.token", body).status();
            if (!route.access().open()) {
                if (anonymous != 401) failures.add(label + " without a token answered " + anonymous);
                if (forged != 401) failures.add(label + " with a forged token answered " + forged);
            } else if (anonymous == 401 || anonymous == 403) {
                failures.add(label + " is public but refused an anonymous call with " + anonymous);
            }
            for (Role role : Role.values()) {
                TestHttp.Response r = http.send(route.method().name(), path, tokens.get(role), body);
                boolean allowed = route.access().allows(dev.lattice.core.Principal.user("x", role));
                if (allowed && (r.status() == 401 || r.status() == 403)) {
                    failures.add(label + " refused " + role.wireName() + " with " + r.status() + ": " + r.body());
                }
                if (!allowed && r.status() != 403) {
                    failures.add(label + " let " + role.wireName() + " through with " + r.status());
                }
                if (r.status() >= 400 && !r.contentType().startsWith("application/problem+json")) {
                    failures.add(label + " as " + role.wireName() + " answered " + r.status() + " without problem+json");
                }
            }
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void theTableHasTheRoutesOfApiMd() {
        List<String> names = TestPlatform.gateway().routes().stream().map(r -> r.method() + " " + r.path()).toList();
        assertThat(names).contains("POST /api/v1/auth/login", "POST /api/v1/users", "GET /api/v1/users",
                "GET /api/v1/me", "GET /api/v1/health", "POST /api/v1/apps", "GET /api/v1/apps", "POST /api/v1/apps/{name}/instances",
                "GET /api/v1/app-instances", "GET /api/v1/app-instances/{id}", "GET /api/v1/app-instances/{id}/logs",
                "GET /api/v1/app-instances/{id}/outputs", "GET /api/v1/app-instances/{id}/outputs/stream",
                "POST /api/v1/app-instances/{id}/outputs", "DELETE /api/v1/app-instances/{id}");
    }
}
