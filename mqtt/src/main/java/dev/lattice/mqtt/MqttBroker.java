package dev.lattice.mqtt;

import com.hivemq.configuration.service.InternalConfigurations;
import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.embedded.EmbeddedHiveMQ;
import com.hivemq.extension.sdk.api.packets.general.Qos;
import com.hivemq.extension.sdk.api.services.builder.Builders;
import com.hivemq.extension.sdk.api.services.publish.Publish;
import dev.lattice.core.LatticeException;
import dev.lattice.mqtt.internal.Deliveries;
import dev.lattice.mqtt.internal.HiveMqConfig;
import dev.lattice.mqtt.internal.LatticeExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An MQTT broker (HiveMQ CE, embedded) that admits only devices and confines each to its own topics.
 *
 * <p>{@link #start} does, in order: claims the JVM's one broker slot; creates {@code dataDir};
 * points JNA's unpacking at {@code dataDir/native} unless {@code jna.tmpdir} is already set;
 * checks the port is free; writes the broker's {@code config.xml} (in-memory sessions, no usage
 * statistics); starts HiveMQ with the Lattice extension, which authenticates every CONNECT through
 * the {@link DeviceAuthenticator} and lets a device with username {@code X} publish only to
 * {@code sensors/X} and {@code controllers/X/acks} and subscribe only to
 * {@code controllers/X/commands}; and returns once the listener is bound. Devices' publishes on
 * those topics go to the {@link PublishListener}.
 *
 * <p>One broker per JVM (HiveMQ's extension services are static). {@link #publish} is
 * thread-safe; {@link #close} may be called from any thread, more than once.
 */
public final class MqttBroker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MqttBroker.class);
    private static final AtomicBoolean RUNNING = new AtomicBoolean();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    /** HiveMQ waits 2 s by default for in-flight persistence work at stop; in memory there is none worth it. */
    private static final int PERSISTENCE_SHUTDOWN_GRACE_MS = 100;

    private final EmbeddedHiveMQ hive;
    private final LatticeExtension extension;
    private final Deliveries deliveries;
    private final ExecutorService authExecutor;
    private final String host;
    private final int port;
    private final AtomicBoolean closed = new AtomicBoolean();

    private MqttBroker(EmbeddedHiveMQ hive, LatticeExtension extension, Deliveries deliveries,
                       ExecutorService authExecutor, String host, int port) {
        this.hive = hive;
        this.extension = extension;
        this.deliveries = deliveries;
        this.authExecutor = authExecutor;
        this.host = host;
        this.port = port;
    }

    /**
     * Starts the broker and returns once it accepts connections.
     *
     * @throws LatticeException {@code mqtt:port.in-use} (503) if the port is taken,
     *                          {@code mqtt:already-running} if this JVM already runs a broker,
     *                          {@code mqtt:start.failed} if HiveMQ does not start
     */
    public static MqttBroker start(MqttSettings settings, DeviceAuthenticator authenticator, PublishListener listener) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(authenticator, "authenticator");
        Objects.requireNonNull(listener, "listener");
        if (!RUNNING.compareAndSet(false, true)) {
            throw new LatticeException("mqtt:already-running", 500, "an MQTT broker is already running in this process");
        }
        ExecutorService authExecutor = Executors.newVirtualThreadPerTaskExecutor();
        try {
            long started = System.nanoTime();
            Path dir = settings.dataDir().toAbsolutePath();
            prepareDirectories(dir);
            int port = settings.port() == 0 ? freePort(settings.host()) : checkFree(settings.host(), settings.port());
            HiveMqConfig.write(dir.resolve("conf"), settings.host(), port);
            Deliveries deliveries = new Deliveries();
            LatticeExtension extension = new LatticeExtension(authenticator, listener, deliveries, authExecutor);
            EmbeddedHiveMQ hive = startHive(dir, extension);
            log.info("MQTT broker listening on {}:{} in {} ms (files in {})", settings.host(), port,
                    (System.nanoTime() - started) / 1_000_000, dir);
            return new MqttBroker(hive, extension, deliveries, authExecutor, settings.host(), port);
        } catch (RuntimeException e) {
            authExecutor.shutdownNow();
            RUNNING.set(false);
            throw e;
        }
    }

    /** The port devices connect to (the chosen one when the settings asked for 0). */
    public int port() {
        return port;
    }

    /**
     * Publishes {@code payload} to {@code topic} at QoS 1, unrestricted by device permissions.
     *
     * <p>The future completes with true once a subscriber has the message (its PUBACK, or the
     * write itself for a QoS 0 subscription); with false at once if nobody is subscribed to the
     * topic, or after {@code deliveryTimeout} if no subscriber acknowledged it by then (the
     * message then expires in the broker rather than arriving late). It completes exceptionally
     * with a {@link LatticeException} if the broker refuses the message, and with false if the
     * broker is closed before delivery.
     *
     * @throws IllegalArgumentException if {@code topic} is not a valid topic name (empty, wildcards)
     * @throws LatticeException {@code mqtt:closed} (503) after {@link #close}
     */
    public CompletableFuture<Boolean> publish(String topic, byte[] payload, Duration deliveryTimeout) {
        Objects.requireNonNull(payload, "payload");
        if (deliveryTimeout == null || deliveryTimeout.isNegative() || deliveryTimeout.isZero()) {
            throw new IllegalArgumentException("deliveryTimeout must be positive");
        }
        if (closed.get()) throw LatticeException.unavailable("mqtt:closed", "the MQTT broker is closed");
        Deliveries.Tracked delivery = deliveries.track(deliveryTimeout);
        Publish publish;
        try {
            publish = Builders.publish()
                    .topic(topic)
                    .qos(Qos.AT_LEAST_ONCE)
                    .payload(ByteBuffer.wrap(payload.clone()))
                    .messageExpiryInterval(Math.max(1, ceilSeconds(deliveryTimeout)))
                    .userProperty(Deliveries.PROPERTY, delivery.id())
                    .build();
        } catch (RuntimeException e) {
            deliveries.complete(delivery.id(), false);
            throw new IllegalArgumentException("not an MQTT topic name: '" + topic + "' (" + e.getMessage() + ")", e);
        }
        hasSubscriber(topic).whenComplete((subscribed, error) -> {
            if (error != null) {
                deliveries.fail(delivery.id(), failure(topic, error));
            } else if (!subscribed) {
                deliveries.complete(delivery.id(), false);
            } else {
                extension.publishService().publish(publish).whenComplete((done, publishError) -> {
                    if (publishError != null) deliveries.fail(delivery.id(), failure(topic, publishError));
                });
            }
        });
        return delivery.future();
    }

    /**
     * Ends the sessions of a device that logged in as {@code username} (its instance was deleted or
     * its token replaced): a revoked token must not keep an open connection alive.
     */
    public CompletableFuture<Integer> disconnect(String username) {
        if (closed.get()) return CompletableFuture.completedFuture(0);
        return extension.disconnect(username);
    }

    /** Stops the broker, drops every connection and frees the port; open deliveries complete with false. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        try {
            hive.stop().get(30, TimeUnit.SECONDS);
            hive.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.warn("MQTT broker on port {} did not stop cleanly", port, e);
        } finally {
            deliveries.abandonAll();
            authExecutor.shutdownNow();
            RUNNING.set(false);
        }
        log.info("MQTT broker on {}:{} stopped", host, port);
    }

    private CompletableFuture<Boolean> hasSubscriber(String topic) {
        AtomicBoolean found = new AtomicBoolean();
        return extension.subscriptionStore()
                .iterateAllSubscribersForTopic(topic, (context, subscriber) -> {
                    found.set(true);
                    context.abortIteration();
                })
                .thenApply(ignored -> found.get());
    }

    private static EmbeddedHiveMQ startHive(Path dir, LatticeExtension extension) {
        InternalConfigurations.PERSISTENCE_SHUTDOWN_GRACE_PERIOD_MSEC.set(PERSISTENCE_SHUTDOWN_GRACE_MS);
        EmbeddedHiveMQ hive = EmbeddedHiveMQ.builder()
                .withConfigurationFolder(dir.resolve("conf"))
                .withDataFolder(dir.resolve("data"))
                .withExtensionsFolder(dir.resolve("extensions"))
                .withoutLoggingBootstrap()
                .withEmbeddedExtension(EmbeddedExtension.builder()
                        .withId(LatticeExtension.ID)
                        .withName("Lattice devices")
                        .withVersion("1")
                        .withAuthor("Lattice")
                        .withPriority(1000)
                        .withStartPriority(1000)
                        .withExtensionMain(extension)
                        .build())
                .build();
        try {
            hive.start().get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            return hive;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeQuietly(hive);
            throw new LatticeException("mqtt:start.failed", 503, "interrupted while starting the MQTT broker", e);
        } catch (ExecutionException | TimeoutException e) {
            closeQuietly(hive);
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new LatticeException("mqtt:start.failed", 503, "the MQTT broker did not start: " + cause, cause);
        }
    }

    private static void prepareDirectories(Path dir) {
        try {
            Files.createDirectories(dir.resolve("data"));
            Files.createDirectories(dir.resolve("extensions"));
            Path nativeDir = Files.createDirectories(dir.resolve("native"));
            // HiveMQ asks OSHI (through JNA) for the processor count; JNA unpacks its library to
            // ~/.cache/JNA unless told otherwise. Global, so only when nobody has chosen already.
            if (System.getProperty("jna.tmpdir") == null) System.setProperty("jna.tmpdir", nativeDir.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the MQTT broker's directory " + dir, e);
        }
    }

    private static int checkFree(String host, int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(host, port));
            return port;
        } catch (IOException e) {
            throw LatticeException.unavailable("mqtt:port.in-use",
                    "cannot listen for MQTT on " + host + ":" + port + " (" + e.getMessage()
                            + "); stop what uses it or choose another port (--mqtt-port)");
        }
    }

    private static int freePort(String host) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(host, 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port on " + host, e);
        }
    }

    private static long ceilSeconds(Duration d) {
        return (d.toMillis() + 999) / 1000;
    }

    private static LatticeException failure(String topic, Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null
                ? error.getCause() : error;
        return new LatticeException("mqtt:publish.failed", 503, "cannot publish to " + topic + ": " + cause.getMessage(), cause);
    }

    private static void closeQuietly(EmbeddedHiveMQ hive) {
        try {
            hive.close();
        } catch (Exception e) {
            log.debug("closing a failed MQTT broker", e);
        }
    }
}
