package dev.lattice.bus.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lattice.bus.Topics;
import dev.lattice.core.Json;
import dev.lattice.core.LatticeException;
import dev.lattice.core.PlatformServices;
import dev.lattice.core.Principal;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends commands to services over Kafka and matches their replies by correlation id.
 *
 * <p>Each process has its own reply topic, named after its stable instance name so that a restart
 * reuses it; the client reads it from its end, so old replies are never mistaken for new ones.
 * Every call has a deadline: the service drops a request whose deadline has passed, and the
 * caller gets a 504 {@code bus:timeout}. Thread-safe.
 */
public final class RequestClient implements AutoCloseable {
    /** Only how often an idle loop wakes: records end a poll at once, and close() wakes it. */
    private static final Duration POLL = Duration.ofSeconds(1);
    private static final Logger log = LoggerFactory.getLogger(RequestClient.class);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private final KafkaProducer<String, byte[]> producer;
    private final KafkaConsumer<String, byte[]> consumer;
    private final String replyTopic;
    private final Clock clock;
    private final Map<String, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;

    private final dev.lattice.bus.Fatal fatal;
    private final String self;

    /** {@code self}: the service this process is, whose own requests go on its lanes (see {@link PlatformServices#CALLS}). */
    public RequestClient(KafkaProducer<String, byte[]> producer, KafkaConsumer<String, byte[]> consumer,
                         String replyTopic, Clock clock, dev.lattice.bus.Fatal fatal, String self) {
        this.fatal = fatal;
        this.self = self;
        this.producer = producer;
        this.consumer = consumer;
        this.replyTopic = replyTopic;
        this.clock = clock;
        TopicPartition tp = new TopicPartition(replyTopic, 0);
        consumer.assign(List.of(tp));
        consumer.seekToEnd(List.of(tp));
        consumer.position(tp); // resolve the end now, before the first request can be answered
        this.thread = Thread.ofPlatform().daemon().name("replies").start(this::run);
    }

    /** Sends a command and returns its reply; the future fails with a {@link LatticeException}. */
    public CompletableFuture<JsonNode> send(String service, String type, Object payload, Principal principal, Duration timeout) {
        return send(service, type, payload, principal, null, timeout);
    }

    /**
     * As {@link #send(String, String, Object, Principal, Duration)}, with the user's own {@code credential}
     * for a service that verifies whom it acts for ({@link RequestServer.PrincipalCheck}).
     */
    public CompletableFuture<JsonNode> send(String service, String type, Object payload, Principal principal, String credential,
                                            Duration timeout) {
        String id = UUID.randomUUID().toString();
        var now = clock.instant();
        Envelope request = new Envelope(id, id, type, replyTopic, now.plus(timeout), principal,
                payload == null ? null : Json.tree(payload), null, now, credential);
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        pending.put(id, reply);
        try {
            producer.send(new ProducerRecord<>(topicFor(service, principal), id, Json.bytes(request)), (meta, error) -> {
                if (error != null) {
                    reply.completeExceptionally(LatticeException.unavailable("bus:send-failed",
                            "cannot send " + type + " to " + service + ": " + error.getMessage()));
                }
            });
        } catch (RuntimeException e) {
            pending.remove(id);
            throw LatticeException.unavailable("bus:send-failed", "cannot send " + type + " to " + service + ": " + e.getMessage());
        }
        return reply.orTimeout(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
                .handle((value, error) -> {
                    pending.remove(id);
                    if (error == null) return value;
                    Throwable cause = error instanceof CompletionException ? error.getCause() : error;
                    if (cause instanceof TimeoutException) {
                        throw new LatticeException("bus:timeout", 504,
                                "service '" + service + "' did not answer " + type + " within " + timeout.toMillis() + " ms");
                    }
                    if (cause instanceof LatticeException le) throw le;
                    throw new LatticeException("bus:failed", 502, type + " to " + service + " failed: " + cause, cause);
                });
    }

    /**
     * A service acting on its own behalf calls on its lane, which proves it is that service; anything
     * else (the gateway acting for a user) goes on the callee's main topic, with the user's credential.
     */
    private String topicFor(String service, Principal principal) {
        boolean own = principal != null && principal.kind() == Principal.Kind.SERVICE && principal.name().equals(self);
        return own && PlatformServices.calls(self, service) ? Topics.lane(service, self) : Topics.requests(service);
    }

    /** Sends a command and waits for the reply, converted to {@code replyType}. */
    public <R> R call(String service, String type, Object payload, Principal principal, Class<R> replyType) {
        return call(service, type, payload, principal, replyType, DEFAULT_TIMEOUT);
    }

    public <R> R call(String service, String type, Object payload, Principal principal, Class<R> replyType, Duration timeout) {
        return call(service, type, payload, principal, null, replyType, timeout);
    }

    /** Sends a command with the user's own {@code credential} and waits for the reply (see {@link #send(String, String, Object, Principal, String, Duration)}). */
    public <R> R call(String service, String type, Object payload, Principal principal, String credential, Class<R> replyType) {
        return call(service, type, payload, principal, credential, replyType, DEFAULT_TIMEOUT);
    }

    /** As {@link #call(String, String, Object, Principal, String, Class)}, with a deadline of its own. */
    public <R> R call(String service, String type, Object payload, Principal principal, String credential, Class<R> replyType,
                      Duration timeout) {
        try {
            JsonNode reply = send(service, type, payload, principal, credential, timeout).join();
            return replyType == Void.class || reply == null ? null : Json.MAPPER.convertValue(reply, replyType);
        } catch (CompletionException e) {
            if (e.getCause() instanceof LatticeException le) throw le;
            throw e;
        }
    }

    private void run() {
        try {
            while (running) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(POLL)) {
                    Envelope reply;
                    try {
                        reply = Json.read(r.value(), Envelope.class);
                    } catch (RuntimeException e) {
                        log.warn("unreadable reply on {} at offset {}", replyTopic, r.offset());
                        continue;
                    }
                    if (reply.correlationId() == null) continue;
                    var waiting = pending.get(reply.correlationId());
                    if (waiting == null) continue; // timed out already, or meant for an earlier run
                    if (reply.error() != null) waiting.completeExceptionally(LatticeException.fromProblem(reply.error()));
                    else waiting.complete(reply.payload());
                }
            }
        } catch (WakeupException | InterruptException e) {
            // closing
        } catch (RuntimeException e) {
            if (running) fatal.failed("the reply loop on " + replyTopic, e);
        } finally {
            Topics.closeAtOnce(consumer);
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pending.values().forEach(f -> f.completeExceptionally(
                LatticeException.unavailable("bus:closed", "the request client is closing")));
    }
}
