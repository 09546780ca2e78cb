package dev.lattice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lattice.bus.identity.KafkaIdentities;
import dev.lattice.core.PlatformServices;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceIdentitiesTest {
    private final Map<String, KafkaIdentities.Grants> all = ServiceIdentities.all();

    @Test
    void everyServiceButTheNodeManagerHasAUserOfItsOwn() {
        assertThat(all.keySet()).containsExactlyInAnyOrderElementsOf(PlatformServices.ALL.stream()
                .filter(s -> !s.equals(PlatformServices.NODES)).map(s -> "service." + s).toList());
    }

    @Test
    void eachOwnedKindHasOneWriter() {
        Map<String, String> writerOf = new HashMap<>();
        all.forEach((user, g) -> g.transactionalIds().forEach(tx -> {
            String kind = tx.substring("lattice-owner-".length());
            assertThat(writerOf.put(kind, user)).as("kind " + kind + " owned twice").isNull();
            assertThat(g.write()).contains("lattice.state." + kind);
        }));
        all.forEach((user, g) -> g.write().stream().filter(t -> t.startsWith("lattice.state."))
                .map(t -> t.substring("lattice.state.".length())).filter(writerOf::containsKey)
                .forEach(kind -> assertThat(writerOf.get(kind)).as(user + " writes " + kind + ", which another owns").isEqualTo(user)));
    }

    @Test
    void secretsStayWithTheirOwner() {
        all.forEach((user, g) -> {
            if (!user.equals("service.auth")) {
                assertThat(g.read()).as(user).doesNotContain("lattice.state.user");
                assertThat(g.write()).as(user).doesNotContain("lattice.state.user", "lattice.state.signing-key", "lattice.state.api-key");
            }
            // Only the node manager (the platform's own user) reads join tokens and remote engines' keys.
            assertThat(g.read()).as(user).doesNotContain("lattice.state.join-token", "lattice.state.docker-node", "lattice.state.node-removal");
            String self = "lattice.requests." + user.substring("service.".length());
            assertThat(g.read()).as(user + " reads no other service's request topic (its own, and the lanes of those that call it)")
                    .filteredOn(t -> t.startsWith("lattice.requests.")).allMatch(t -> t.equals(self) || t.startsWith(self + ".from."));
        });
    }

    @Test
    void onlyTheGatewayAndThreeServicesCallOthers() {
        Map<String, List<String>> callers = new HashMap<>();
        all.forEach((user, g) -> {
            List<String> calls = g.write().stream().filter(t -> t.startsWith("lattice.requests.")).toList();
            if (!calls.isEmpty()) callers.put(user, calls);
        });
        assertThat(callers.keySet()).containsExactlyInAnyOrder("service.gateway", "service.models", "service.apps", "service.scheduler");
        // Services call on their own behalf only on their lanes, which no one else writes: the gateway only to roll a canary back.
        assertThat(callers.get("service.scheduler")).containsExactly("lattice.requests.deployer.from.scheduler");
        assertThat(callers.get("service.models")).containsExactlyInAnyOrder("lattice.requests.deployer.from.models",
                "lattice.requests.repository.from.models");
        assertThat(callers.get("service.gateway")).filteredOn(t -> t.contains(".from.")).containsExactly("lattice.requests.models.from.gateway");
        all.forEach((user, g) -> assertThat(g.read()).filteredOn(t -> t.contains(".from.")).as(user + " reads only lanes to itself")
                .allMatch(t -> t.startsWith("lattice.requests." + user.substring("service.".length()) + ".from.")));
    }
}
