package dev.lattice.bus.heartbeat;

import dev.lattice.bus.BusConfig;
import dev.lattice.bus.Topics;
import dev.lattice.core.Json;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Publishes this process's heartbeat every {@link #INTERVAL}, and at once whenever its status
 * changes. Thread-safe.
 *
 * <p>Three seconds, not one: at idle a heartbeat is most of what the platform does (one produce per
 * process, each waking the monitor's fetch: at 2 s they were half of the broker's 23 requests a
 * second, 6 Dec), and a status change is sent at once anyway (a crash is reported by the agent at
 * once), so the interval only sets how soon a process that hangs or vanishes without its agent
 * noticing is seen (the monitor's silence limit, {@code HealthTracker.DEFAULT_SILENCE}, is 2.5 intervals).
 */
public final class HeartbeatPublisher implements AutoCloseable {
    public static final Duration INTERVAL = Duration.ofSeconds(3);

    private final KafkaProducer<String, byte[]> producer;
    private final BusConfig config;
    private final Clock clock;
    private final Instant startedAt;
    private final ScheduledExecutorService timer;
    private volatile Heartbeat.Status status = Heartbeat.Status.STARTING;

    public HeartbeatPublisher(KafkaProducer<String, byte[]> producer, BusConfig config, Clock clock) {
        this.producer = producer;
        this.config = config;
        this.clock = clock;
        this.startedAt = clock.instant();
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("heartbeat").unstarted(r));
        timer.scheduleAtFixedRate(this::beat, 0, INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    public void status(Heartbeat.Status next) {
        status = next;
        timer.execute(this::beat);
    }

    public Heartbeat.Status status() {
        return status;
    }

    private void beat() {
        Heartbeat hb = new Heartbeat(config.service(), config.instance(), config.node(),
                ProcessHandle.current().pid(), status, startedAt, clock.instant());
        publish(producer, hb);
    }

    /** Sends one report; also used by agents to report a dead instance. */
    public static void publish(KafkaProducer<String, byte[]> producer, Heartbeat hb) {
        producer.send(new ProducerRecord<>(Topics.HEARTBEATS, hb.instance(), Json.bytes(hb)));
    }

    /** Sends STOPPING and stops beating. */
    @Override
    public void close() {
        status = Heartbeat.Status.STOPPING;
        timer.execute(this::beat);
        timer.shutdown();
        try {
            timer.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // No flush here: with the broker gone it would wait out the delivery timeout. The bus
        // closes the producer with a bounded timeout, which sends the STOPPING beat if it can.
    }
}
