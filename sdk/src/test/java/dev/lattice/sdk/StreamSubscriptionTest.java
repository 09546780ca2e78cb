package dev.lattice.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StreamSubscriptionTest {
    private static final String STREAM = "/api/v1/sensor-instances/s-1/stream";
    private static final Reconnect FAST = new Reconnect(Duration.ofMillis(20), Duration.ofMillis(100), Duration.ofSeconds(30));

    private final StubGateway stub;
    private final BlockingQueue<Reading> received = new LinkedBlockingQueue<>();
    private final AtomicInteger connections = new AtomicInteger();

    StreamSubscriptionTest() throws Exception {
        stub = new StubGateway();
    }

    @AfterEach
    void close() {
        stub.close();
    }

    private Lattice lattice(Reconnect reconnect) {
        return Lattice.create(stub.env(), Duration.ofSeconds(5), reconnect);
    }

    private Reading next() throws InterruptedException {
        Reading r = received.poll(5, TimeUnit.SECONDS);
        if (r == null) throw new AssertionError("no reading arrived");
        return r;
    }

    @Test
    void deliversStreamedReadingsInOrder() throws Exception {
        stub.on("GET", STREAM, (r, ex) -> {
            OutputStream out = StubGateway.startStream(ex);
            StubGateway.write(out, StubGateway.reading("2026-03-01T10:00:00Z", "{\"temperature\":61.5,\"vibration\":2.2}"));
            StubGateway.write(out, ": keep-alive\n\n");
            StubGateway.write(out, "event: something-else\ndata: {}\n\n");
            StubGateway.write(out, StubGateway.reading("2026-03-01T10:00:01Z", "{\"temperature\":62}"));
            stub.hold(Duration.ofSeconds(10));
        });
        try (Lattice lattice = lattice(FAST); Subscription s = lattice.subscribe("s-1", received::add)) {
            assertThat(next()).isEqualTo(new Reading("s-1", Instant.parse("2026-03-01T10:00:00Z"),
                    java.util.Map.of("temperature", 61.5, "vibration", 2.2)));
            assertThat(next().values()).containsEntry("temperature", 62L);
            assertThat(s.sensorId()).isEqualTo("s-1");
            assertThat(s.isOpen()).isTrue();
            StubGateway.Request request = stub.take();
            assertThat(request.accept()).isEqualTo("text/event-stream");
            assertThat(request.authorization()).isEqualTo("Bearer " + StubGateway.TOKEN);
        }
    }

    @Test
    void reconnectsWhenTheStreamEnds() throws Exception {
        stub.on("GET", STREAM, (r, ex) -> {
            int n = connections.incrementAndGet();
            OutputStream out = StubGateway.startStream(ex);
            StubGateway.write(out, StubGateway.reading("2026-03-01T10:00:0" + n + "Z", "{\"n\":" + n + "}"));
            if (n >= 3) stub.hold(Duration.ofSeconds(10));
            // else: the handler returns and the stream ends, as when the gateway restarts
        });
        try (Lattice lattice = lattice(FAST)) {
            lattice.subscribe("s-1", received::add);
            assertThat(List.of(next(), next(), next())).extracting(r -> r.value("n")).containsExactly(1L, 2L, 3L);
            assertThat(connections.get()).isEqualTo(3);
        }
    }

    @Test
    void reconnectsWhenTheStreamGoesSilent() throws Exception {
        stub.on("GET", STREAM, (r, ex) -> {
            int n = connections.incrementAndGet();
            OutputStream out = StubGateway.startStream(ex);
            if (n == 2) StubGateway.write(out, StubGateway.reading("2026-03-01T10:00:00Z", "{\"n\":2}"));
            stub.hold(Duration.ofSeconds(10));
        });
        Reconnect impatient = new Reconnect(Duration.ofMillis(20), Duration.ofMillis(100), Duration.ofMillis(300));
        try (Lattice lattice = lattice(impatient)) {
            long start = System.nanoTime();
            lattice.subscribe("s-1", received::add);
            assertThat(next().value("n")).isEqualTo(2L);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        }
    }

    @Test
    void throwsAStreamTheGatewayRefuses() {
        stub.on("GET", STREAM, (r, ex) -> StubGateway.problem(ex, 403, "Forbidden",
                "sensor instance 's-1' is not bound to app instance 'ai-7'", "apps:not-bound"));
        try (Lattice lattice = lattice(FAST)) {
            assertThatThrownBy(() -> lattice.subscribe("s-1", received::add)).isInstanceOfSatisfying(LatticeApiException.class, e -> {
                assertThat(e.status()).isEqualTo(403);
                assertThat(e.detail()).isEqualTo("sensor instance 's-1' is not bound to app instance 'ai-7'");
                assertThat(e.code()).isEqualTo("apps:not-bound");
                assertThat(e.request()).isEqualTo("GET " + STREAM);
            });
        }
    }

    @Test
    void retriesAGatewayThatIsNotReadyYet() throws Exception {
        stub.on("GET", STREAM, (r, ex) -> {
            if (connections.incrementAndGet() <= 2) {
                StubGateway.problem(ex, 503, "Service Unavailable", "starting", "http:503");
                return;
            }
            OutputStream out = StubGateway.startStream(ex);
            StubGateway.write(out, StubGateway.reading("2026-03-01T10:00:00Z", "{\"n\":1}"));
            stub.hold(Duration.ofSeconds(10));
        });
        try (Lattice lattice = lattice(FAST)) {
            lattice.subscribe("s-1", received::add);
            assertThat(next().value("n")).isEqualTo(1L);
            assertThat(connections.get()).isEqualTo(3);
        }
    }

    @Test
    void keepsGoingWhenTheListenerFails() throws Exception {
        stub.on("GET", STREAM, (r, ex) -> {
            OutputStream out = StubGateway.startStream(ex);
            StubGateway.write(out, StubGateway.reading("2026-03-01T10:00:00Z", "{\"n\":1}"));
            StubGateway.write(out, "event: reading\ndata: not json\n\n");
            StubGateway.write(out, StubGateway.reading("2026-03-01T10:00:01Z", "{\"n\":2}"));
            stub.hold(Duration.ofSeconds(10));
        });
        try (Lattice lattice = lattice(FAST)) {
            lattice.subscribe("s-1", r -> {
                received.add(r);
                if (r.value("n").equals(1L)) throw new IllegalStateException("listener bug");
            });
            assertThat(List.of(next(), next())).extracting(r -> r.value("n")).containsExactly(1L, 2L);
            assertThat(connections.get()).isZero();
        }
    }

    @Test
    void closingStopsDeliveryAndDisconnects() throws Exception {
        BlockingQueue<OutputStream> streams = new LinkedBlockingQueue<>();
        stub.on("GET", STREAM, (r, ex) -> {
            connections.incrementAndGet();
            streams.add(StubGateway.startStream(ex));
            stub.hold(Duration.ofSeconds(10));
        });
        try (Lattice lattice = lattice(FAST)) {
            Subscription s = lattice.subscribe("s-1", received::add);
            OutputStream out = streams.poll(5, TimeUnit.SECONDS);
            StubGateway.write(out, StubGateway.reading("2026-03-01T10:00:00Z", "{\"n\":1}"));
            next();

            s.close();
            s.close();

            assertThat(s.isOpen()).isFalse();
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            boolean disconnected = false;
            while (!disconnected && System.nanoTime() < deadline) {
                try {
                    StubGateway.write(out, StubGateway.reading("2026-03-01T10:00:01Z", "{\"n\":2}"));
                    Thread.sleep(20);
                } catch (java.io.IOException e) {
                    disconnected = true;
                }
            }
            assertThat(disconnected).as("the server sees the client go").isTrue();
            Thread.sleep(200);
            assertThat(received).isEmpty();
            assertThat(connections.get()).isEqualTo(1);
        }
    }

    @Test
    void closingTheSdkClosesItsSubscriptions() throws Exception {
        stub.on("GET", STREAM, (r, ex) -> {
            StubGateway.startStream(ex);
            stub.hold(Duration.ofSeconds(10));
        });
        Lattice lattice = lattice(FAST);
        Subscription s = lattice.subscribe("s-1", received::add);
        lattice.close();
        assertThat(s.isOpen()).isFalse();
        assertThatThrownBy(() -> lattice.subscribe("s-1", received::add)).isInstanceOf(IllegalStateException.class);
    }
}
