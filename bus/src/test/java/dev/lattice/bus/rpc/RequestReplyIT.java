package dev.lattice.bus.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lattice.bus.Bus;
import dev.lattice.bus.TestKafka;
import dev.lattice.core.LatticeException;
import dev.lattice.core.Principal;
import dev.lattice.core.Role;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RequestReplyIT {
    record Add(int a, int b) {}

    record Sum(int value) {}

    private static final Principal ALICE = Principal.user("alice", Role.ADMIN);

    /** These tests are about the bus, not about whom to believe: the claim is taken. */
    private static RequestServer serve(Bus server, Map<String, Handler> handlers) {
        return server.serve(handlers, RequestServer.PrincipalCheck.TRUSTED);
    }

    private static Bus service(String name) {
        return Bus.connect(TestKafka.config(name), Clock.systemUTC());
    }

    @Test
    void answersACommandWithItsReply() {
        String name = TestKafka.unique("adder");
        try (Bus server = service(name); Bus caller = TestKafka.bus("caller")) {
            serve(server, Map.of("add", r -> {
                Add add = r.payload(Add.class);
                return new Sum(add.a() + add.b());
            }));
            Sum sum = caller.client().call(name, "add", new Add(2, 3), ALICE, Sum.class);
            assertThat(sum.value()).isEqualTo(5);
        }
    }

    @Test
    void carriesTheProblemAndThePrincipalAcross() {
        String name = TestKafka.unique("guarded");
        try (Bus server = service(name); Bus caller = TestKafka.bus("caller")) {
            serve(server, Map.of(
                    "admin-only", r -> {
                        r.require(Role.ADMIN);
                        return r.principal().name();
                    },
                    "bad", r -> r.payload(Add.class)));
            var client = caller.client();
            assertThat(client.call(name, "admin-only", null, ALICE, String.class)).isEqualTo("alice");
            assertThatThrownBy(() -> client.call(name, "admin-only", null, Principal.user("bob", Role.END_USER), String.class))
                    .isInstanceOf(LatticeException.class)
                    .satisfies(e -> assertThat(((LatticeException) e).status()).isEqualTo(403));
            assertThatThrownBy(() -> client.call(name, "bad", Map.of("a", "not a number"), ALICE, String.class))
                    .isInstanceOf(LatticeException.class)
                    .satisfies(e -> assertThat(((LatticeException) e).status()).isEqualTo(400))
                    .hasMessageContaining("a:");
            assertThatThrownBy(() -> client.call(name, "no-such-command", null, ALICE, String.class))
                    .isInstanceOf(LatticeException.class)
                    .satisfies(e -> assertThat(((LatticeException) e).status()).isEqualTo(400));
        }
    }

    /**
     * A sender must not choose where a service writes with its own Kafka user: a request whose reply
     * would go anywhere but a reply topic (say the service's own state topic, keyed as an object of it)
     * is dropped unhandled, and nothing is written there.
     */
    @Test
    void aRequestWhoseReplyWouldGoToAnythingButAReplyTopicIsDropped() throws Exception {
        String name = TestKafka.unique("victim");
        String target = dev.lattice.bus.Topics.state(name);
        try (Bus server = service(name); Bus caller = TestKafka.bus("caller")) {
            AtomicInteger handled = new AtomicInteger();
            serve(server, Map.of("add", r -> {
                handled.incrementAndGet();
                Add add = r.payload(Add.class);
                return new Sum(add.a() + add.b());
            }));
            caller.admin().createTopics(java.util.List.of(dev.lattice.bus.Topics.compacted(target))).all().get();
            var now = java.time.Instant.now();
            Envelope forged = new Envelope(name + "/admin", name + "/admin", "add", target, now.plusSeconds(30), ALICE,
                    dev.lattice.core.Json.tree(new Add(1, 1)), null, now, null);
            caller.producer().send(new org.apache.kafka.clients.producer.ProducerRecord<>(dev.lattice.bus.Topics.requests(name),
                    forged.id(), dev.lattice.core.Json.bytes(forged))).get();
            // One partition, read in order: once a later request is answered, the forged one was seen.
            assertThat(caller.client().call(name, "add", new Add(2, 3), ALICE, Sum.class).value()).isEqualTo(5);
            assertThat(handled).as("requests handled").hasValue(1);
            var tp = new org.apache.kafka.common.TopicPartition(target, 0);
            long end = caller.admin().listOffsets(Map.of(tp, org.apache.kafka.clients.admin.OffsetSpec.latest())).partitionResult(tp).get().offset();
            assertThat(end).as("records written to " + target).isZero();
        }
    }

    @Test
    void timesOutWhenNobodyAnswers() {
        String name = TestKafka.unique("absent");
        try (Bus caller = TestKafka.bus("caller")) {
            caller.admin().createTopics(java.util.List.of(dev.lattice.bus.Topics.shortLived(
                    dev.lattice.bus.Topics.requests(name), 60_000))).all().toCompletionStage().toCompletableFuture().join();
            long started = System.nanoTime();
            assertThatThrownBy(() -> caller.client().call(name, "anything", null, ALICE, String.class, Duration.ofMillis(500)))
                    .isInstanceOf(LatticeException.class)
                    .satisfies(e -> {
                        assertThat(((LatticeException) e).status()).isEqualTo(504);
                        assertThat(((LatticeException) e).code()).isEqualTo("bus:timeout");
                    });
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(450), Duration.ofSeconds(5));
        }
    }

    @Test
    void dropsRequestsWhoseDeadlinePassedBeforeTheServiceSawThem() throws Exception {
        String name = TestKafka.unique("late");
        AtomicInteger handled = new AtomicInteger();
        try (Bus caller = TestKafka.bus("caller")) {
            caller.admin().createTopics(java.util.List.of(dev.lattice.bus.Topics.shortLived(
                    dev.lattice.bus.Topics.requests(name), 60_000))).all().toCompletionStage().toCompletableFuture().join();
            assertThatThrownBy(() -> caller.client().call(name, "work", null, ALICE, String.class, Duration.ofMillis(200)))
                    .isInstanceOf(LatticeException.class);
            Thread.sleep(300);
            try (Bus server = service(name)) {
                serve(server, Map.of("work", r -> handled.incrementAndGet()));
                // A fresh request gets through, so the server is consuming; the stale one was skipped.
                assertThat(caller.client().call(name, "work", null, ALICE, Integer.class)).isEqualTo(1);
            }
        }
        assertThat(handled).hasValue(1);
    }

    @Test
    void refusesARequestWithoutAPrincipal() {
        String name = TestKafka.unique("strict");
        try (Bus server = service(name); Bus caller = TestKafka.bus("caller")) {
            serve(server, Map.of("x", r -> "done"));
            assertThatThrownBy(() -> caller.client().call(name, "x", null, null, String.class))
                    .isInstanceOf(LatticeException.class)
                    .satisfies(e -> assertThat(((LatticeException) e).status()).isEqualTo(401));
        }
    }
}
