package dev.lattice.bus;

import dev.lattice.bus.broker.EmbeddedKafka;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.UUID;

/**
 * One real embedded broker per test JVM, started on first use and stopped at exit. Tests keep
 * out of each other's way by using their own kinds, services and instance names. The broker
 * requires SASL, as in production: connect through {@link #config}, {@link #bus} or {@link #security}.
 */
public final class TestKafka {
    private static EmbeddedKafka broker;
    private static Path dir;
    private static final java.util.Deque<AutoCloseable> beforeStop = new java.util.ArrayDeque<>();

    private TestKafka() {}

    public static String bootstrap() {
        return broker().bootstrapServers();
    }

    /** The credentials the broker accepts. */
    public static KafkaSecurity security() {
        return broker().clientSecurity();
    }

    /** A bus config for {@code service} (instance {@code service.test}) that the broker accepts. */
    public static BusConfig config(String service) {
        return new BusConfig(bootstrap(), service, null, "test", security());
    }

    public static synchronized EmbeddedKafka broker() {
        if (broker == null) {
            try {
                dir = Files.createTempDirectory("lattice-test-kafka");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            broker = EmbeddedKafka.start(dir.resolve("kafka"));
            Runtime.getRuntime().addShutdownHook(new Thread(TestKafka::stop));
        }
        return broker;
    }

    /** A bus for a made-up service instance, unique per call unless a name is given. */
    public static Bus bus(String service) {
        return Bus.connect(new BusConfig(bootstrap(), service, service + "." + UUID.randomUUID().toString().substring(0, 8), "test",
                security()), Clock.systemUTC());
    }

    /** Closes {@code c} at JVM exit before the broker stops (services first, then Kafka). */
    public static synchronized void closeBeforeBroker(AutoCloseable c) {
        beforeStop.push(c);
    }

    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static synchronized void stop() {
        if (broker == null) return;
        while (!beforeStop.isEmpty()) {
            try {
                beforeStop.pop().close();
            } catch (Exception ignored) {
                // best effort at exit
            }
        }
        broker.close();
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp dir left behind is harmless
        }
    }
}
