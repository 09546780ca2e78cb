package dev.lattice.bus.rpc;

import dev.lattice.bus.Topics;
import dev.lattice.core.Json;
import dev.lattice.core.LatticeException;
import dev.lattice.core.PlatformServices;
import dev.lattice.core.Principal;
import dev.lattice.core.Problem;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Serves one service's request topic: dispatches each command to its {@link Handler} on a
 * virtual thread and sends back the reply or the problem.
 *
 * <p>Requests past their deadline are dropped unanswered (the caller has given up already), and
 * a request without a principal is refused: services never act for nobody. Every instance of a
 * service is in one consumer group with static membership, so a restarted instance takes its
 * partitions back at once instead of waiting out a session timeout.
 */
public final class RequestServer implements AutoCloseable {
    /**
     * What a service that does not take the caller's word checks: the principal a request claims,
     * against the credential it carries ({@link Envelope#credential}) and the service whose lane it
     * came on ({@code lane}: the caller Kafka's ACLs proved, null on the main request topic).
     * Answers the principal to act for, or throws a 401 {@link dev.lattice.core.LatticeException}.
     */
    @FunctionalInterface
    public interface PrincipalCheck {
        /** Takes the claim as it is: for tests of the bus itself; no platform process serves with it. */
        PrincipalCheck TRUSTED = (claimed, credential, lane) -> claimed;

        Principal verified(Principal claimed, String credential, String lane);
    }

    /** Only how often an idle loop wakes: records end a poll at once, and close() wakes it. */
    private static final Duration POLL = Duration.ofSeconds(1);
    private static final Logger log = LoggerFactory.getLogger(RequestServer.class);
    private static final String REPLY_PREFIX = Topics.replies("");

    private final String service;
    private final Map<String, Handler> handlers;
    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaProducer<String, byte[]> producer;
    private final Clock clock;
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private final Thread thread;
    private volatile boolean running = true;

    private final dev.lattice.bus.Fatal fatal;
    private final PrincipalCheck check;

    public RequestServer(String service, Map<String, Handler> handlers, PrincipalCheck check, KafkaConsumer<String, byte[]> consumer,
                         KafkaProducer<String, byte[]> producer, Clock clock, dev.lattice.bus.Fatal fatal) {
        this.fatal = fatal;
        this.check = check;
        this.service = service;
        this.handlers = Map.copyOf(handlers);
        this.consumer = consumer;
        this.producer = producer;
        this.clock = clock;
        List<String> topics = new java.util.ArrayList<>(List.of(Topics.requests(service)));
        for (String caller : PlatformServices.callersOf(service)) topics.add(Topics.lane(service, caller));
        consumer.subscribe(topics);
        this.thread = Thread.ofPlatform().daemon().name("requests-" + service).start(this::run);
    }

    private void run() {
        try {
            while (running) {
                var records = consumer.poll(POLL);
                for (ConsumerRecord<String, byte[]> r : records) {
                    Envelope request;
                    try {
                        request = Json.read(r.value(), Envelope.class);
                    } catch (RuntimeException e) {
                        log.warn("unreadable request on {} at offset {}", r.topic(), r.offset());
                        continue;
                    }
                    if (request.replyTo() != null && !request.replyTo().startsWith(REPLY_PREFIX)) {
                        // The reply is written with this service's own Kafka user, which may write its state
                        // topics: a sender must not choose one (an envelope keyed "user/admin" on auth's users).
                        log.warn("dropping {} {} on {}: its reply would go to {}, not a reply topic", request.type(), request.id(),
                                r.topic(), request.replyTo());
                        continue;
                    }
                    if (request.deadline() != null && clock.instant().isAfter(request.deadline())) {
                        log.debug("dropping {} {}: its deadline has passed", request.type(), request.id());
                        continue;
                    }
                    String lane = Topics.laneCaller(r.topic());
                    workers.execute(() -> handle(request, lane));
                }
                if (!records.isEmpty()) consumer.commitAsync();
            }
        } catch (WakeupException | InterruptException e) {
            // closing
        } catch (RuntimeException e) {
            // e.g. FencedInstanceIdException: another process took this instance's name
            if (running) fatal.failed("the request loop of " + service, e);
        } finally {
            try {
                consumer.commitSync(Duration.ofSeconds(2));
            } catch (RuntimeException ignored) {
                // best effort: an uncommitted request is past its deadline when read again
            }
            Topics.closeAtOnce(consumer);
        }
    }

    private void handle(Envelope request, String lane) {
        MDC.put("correlationId", request.id());
        Object result = null;
        Problem error = null;
        try {
            Handler handler = handlers.get(request.type());
            if (handler == null) {
                throw LatticeException.badRequest("bus:unknown-command", service + " has no command '" + request.type() + "'");
            }
            Principal principal = request.principal();
            if (principal == null) throw LatticeException.unauthorized("the request carries no principal");
            principal = check.verified(principal, request.credential(), lane);
            result = handler.handle(new Request(request.type(), principal, request.payload(), request.deadline()));
        } catch (LatticeException e) {
            error = e.toProblem();
        } catch (Exception | Error e) {
            // Errors too (an OutOfMemoryError in one handler): the caller gets a 500, not a timeout.
            log.error("{} failed on {}: {}", service, request.type(), e.toString(), e);
            error = Problem.of(500, service + ":internal", service + " failed on " + request.type()
                    + "; the service log has the details");
        } finally {
            MDC.remove("correlationId");
        }
        if (request.replyTo() == null) return;
        Envelope reply = Envelope.reply(request, result == null ? null : Json.tree(result), error, clock.instant());
        producer.send(new ProducerRecord<>(request.replyTo(), request.id(), Json.bytes(reply)));
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5_000);
            workers.shutdown();
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
