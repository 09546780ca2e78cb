package dev.lattice.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class JsonTest {
    record Item(String name, int count, Role role, Instant at) {
        Item {
            Names.requireName("name", name);
        }
    }

    private static LatticeException badRequest(String json) {
        try {
            Json.parse(json.getBytes(), Item.class);
        } catch (LatticeException e) {
            return e;
        }
        throw new AssertionError("accepted " + json);
    }

    @Test
    void roundTripsRecordsWithTimesAndRoles() {
        Item item = new Item("a-1", 3, Role.DATA_SCIENTIST, Instant.parse("2026-11-25T10:00:00Z"));
        String json = Json.string(item);
        assertThat(json).contains("\"role\":\"data-scientist\"").contains("\"at\":\"2026-11-25T10:00:00Z\"");
        assertThat(Json.parse(json.getBytes(), Item.class)).isEqualTo(item);
    }

    @Test
    void namesTheFieldThatIsWrong() {
        assertThat(badRequest("{\"name\":\"a\",\"count\":\"many\"}").getMessage()).startsWith("count: expected a number");
        assertThat(badRequest("{\"name\":7}").getMessage()).startsWith("name: expected a string");
        assertThat(badRequest("{\"name\":\"a\",\"role\":\"boss\"}").getMessage()).startsWith("role: 'boss' is not one of");
        assertThat(badRequest("{\"name\":\"Bad Name\"}").getMessage()).startsWith("name: 'Bad Name' must match");
        assertThat(badRequest("{\"count\":1}").getMessage()).isEqualTo("name: is required");
    }

    record Outer(java.util.List<Item> items, Role role) {}

    @Test
    void namesTheNestedFieldWithItsPath() {
        try {
            Json.parse("{\"items\":[{\"name\":\"ok\"},{\"name\":\"Not OK\"}]}".getBytes(), Outer.class);
            throw new AssertionError("accepted");
        } catch (LatticeException e) {
            assertThat(e.getMessage()).startsWith("items[1].name: 'Not OK' must match");
        }
        try {
            Json.parse("{\"role\":\"boss\"}".getBytes(), Outer.class);
            throw new AssertionError("accepted");
        } catch (LatticeException e) {
            assertThat(e.getMessage()).startsWith("role: 'boss'");
        }
    }

    @Test
    void rejectsMalformedAndNonObjectBodies() {
        assertThat(badRequest("{\"name\":").code()).isEqualTo("core:body.malformed");
        assertThat(badRequest("[1,2]").getMessage()).isEqualTo("body: expected a JSON object");
        assertThat(badRequest("{\"name\":\"a\"} trailing").status()).isEqualTo(400);
        assertThat(badRequest("null").getMessage()).startsWith("body:");
    }

    @Test
    void problemsCarryStatusCodeAndDetail() {
        Problem p = LatticeException.conflict("x:taken", "name: 'a' is taken").toProblem();
        assertThat(p.status()).isEqualTo(409);
        assertThat(p.title()).isEqualTo("Conflict");
        assertThat(LatticeException.fromProblem(Json.read(Json.bytes(p), Problem.class)).code()).isEqualTo("x:taken");
    }

    @Test
    void principalsCheckRoles() {
        assertThatThrownBy(() -> Principal.ANONYMOUS.require(Role.ADMIN)).extracting("status").isEqualTo(401);
        assertThatThrownBy(() -> Principal.user("u", Role.END_USER).require(Role.ADMIN)).extracting("status").isEqualTo(403);
        Principal.user("u", Role.ADMIN).require(Role.END_USER, Role.ADMIN);
    }
}
