package dev.lattice.bus;

import dev.lattice.bus.feed.Follower;
import dev.lattice.bus.feed.From;
import dev.lattice.bus.feed.StreamTopic;
import dev.lattice.bus.feed.Writer;
import dev.lattice.bus.identity.KafkaIdentities;
import dev.lattice.bus.heartbeat.Heartbeat;
import dev.lattice.bus.loop.ControlLoop;
import dev.lattice.bus.metrics.MetricsTarget;
import dev.lattice.bus.metrics.ProcessMetrics;
import dev.lattice.bus.heartbeat.HeartbeatPublisher;
import dev.lattice.bus.rpc.Handler;
import dev.lattice.bus.rpc.RequestClient;
import dev.lattice.bus.rpc.RequestServer;
import dev.lattice.bus.state.StateOwner;
import dev.lattice.bus.state.StateReporter;
import dev.lattice.bus.state.StateView;
import dev.lattice.bus.state.States;
import dev.lattice.bus.state.ViewReader;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One process's connection to Kafka, and the factory of everything that uses it: state views
 * and owners, the request client and server, heartbeats, plain consumers.
 *
 * <p>Everything it hands out is closed with it, newest first. Thread-safe.
 */
public final class Bus implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Bus.class);
    private static final Duration REPLY_RETENTION = Duration.ofMinutes(10);

    private final BusConfig config;
    private final Clock clock;
    private final Admin admin;
    private final KafkaProducer<String, byte[]> producer;
    private final Writer writer;
    private final Deque<AutoCloseable> closeables = new ArrayDeque<>();
    private final Fatal fatal = Fatal.EXIT;
    private RequestClient client;
    private ViewReader views;
    private ProcessMetrics metrics; // guarded by this
    private boolean closed; // guarded by this
    /** Kafka clients made before the metrics started, bound when they do. Guarded by this. */
    private final List<Object> unmeasured = new ArrayList<>();

    private Bus(BusConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.admin = Admin.create(config.admin());
        this.producer = new KafkaProducer<>(config.producer());
        this.writer = new Writer(producer);
    }

    /** Connects and makes sure the platform-wide topics exist. */
    public static Bus connect(BusConfig config, Clock clock) {
        Bus bus = new Bus(config, clock);
        Topics.ensure(bus.admin, Topics.platform());
        return bus;
    }

    public BusConfig config() {
        return config;
    }

    public Clock clock() {
        return clock;
    }

    public Admin admin() {
        return admin;
    }

    /** Creates the stream topics that do not exist yet; safe to call from many processes at once. */
    public void ensure(StreamTopic... topics) {
        ensure(List.of(topics), List.of());
    }

    /** Creates compacted topics that do not exist yet (copies of state, see {@link #view(String, Class, String)}). */
    public void ensureState(String... topics) {
        ensure(List.of(), List.of(topics));
    }

    /** Both kinds at once, in one look at what exists (a node's own topics: its reports and its workloads). */
    public void ensure(List<StreamTopic> streams, List<String> states) {
        List<org.apache.kafka.clients.admin.NewTopic> all = new java.util.ArrayList<>();
        streams.forEach(t -> all.add(Topics.shortLived(t.name(), t.retention().toMillis(), t.partitions())));
        states.forEach(t -> all.add(Topics.compacted(t)));
        Topics.ensure(admin, all);
    }

    /** Appends to stream topics through the shared producer. */
    public Writer writer() {
        return writer;
    }

    /**
     * A writer with a producer of its own for a high-volume stream (readings): like the shared one,
     * plus {@code overrides} (e.g. a little linger to batch). Closed with the bus.
     */
    public Writer newWriter(Map<String, String> overrides) {
        return new Writer(newProducer(overrides));
    }

    /** Waits until everything sent through the shared producer is stored (or has failed). */
    public void flush() {
        producer.flush();
    }

    /** The Kafka cluster's id: the same for every process of one platform. */
    public String clusterId(Duration timeout) {
        try {
            return admin.describeCluster().clusterId().get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking Kafka for its cluster id", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot read the Kafka cluster's id: " + e.getMessage(), e);
        }
    }

    /** Publishes one heartbeat for someone else (an agent speaking for a service it saw die). */
    public void heartbeatFor(Heartbeat hb) {
        HeartbeatPublisher.publish(producer, hb);
    }

    /** The shared idempotent producer (not transactional: state writes go through {@link #own}). */
    public KafkaProducer<String, byte[]> producer() {
        return producer;
    }

    /** A started view of {@code kind}; call {@link StateView#awaitCaughtUp} before trusting it. */
    public <T> StateView<T> view(String kind, Class<T> type) {
        Topics.ensure(admin, List.of(Topics.compacted(Topics.state(kind))));
        return track(views().view(kind, type));
    }

    /**
     * A started view of the copies of {@code kind} on {@code topic} (compacted, made if it is missing
     * and this process may), as an owner made with {@link #own(String, Class, Duration, Function)} writes them.
     */
    public <T> StateView<T> view(String kind, Class<T> type, String topic) {
        ensureState(topic);
        return track(views().view(kind, type, topic));
    }

    /** The reader of this process's views (one consumer for all of them), created on first use. */
    private synchronized ViewReader views() {
        if (views == null) views = track(ViewReader.shared(config.instance(), this::viewConsumer, fatal));
        return views;
    }

    /** Becomes the single writer of {@code kind}, fencing any earlier owner, with its view caught up. */
    public <T> StateOwner<T> own(String kind, Class<T> type, Duration catchUp) {
        return own(kind, type, catchUp, null);
    }

    /**
     * As {@link #own(String, Class, Duration)}, and each object is also copied, in the same
     * transaction, to the compacted topic {@code copyTo} names for it (none when it answers null):
     * a node's agent reads its own workloads, not everyone's (see {@link StateOwner}).
     */
    public <T> StateOwner<T> own(String kind, Class<T> type, Duration catchUp, Function<T, String> copyTo) {
        Topics.ensure(admin, List.of(Topics.compacted(Topics.state(kind))));
        Properties p = config.producer();
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, ownerTransactionalId(kind));
        p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "10000");
        StateOwner.Copies<T> copies = copyTo == null ? null
                : new StateOwner.Copies<>(copyTo, this::ensureState);
        return track(States.owner(kind, type, new KafkaProducer<>(p), views(), clock, catchUp, fatal, copies));
    }

    /** Writes the keys of {@code kind} that this process is the natural source of (see {@link StateReporter}). */
    public <T> StateReporter<T> reporter(String kind) {
        Topics.ensure(admin, List.of(Topics.compacted(Topics.state(kind))));
        return new StateReporter<>(kind, Topics.state(kind), producer, clock, config.instance());
    }

    /**
     * As {@link #reporter(String)}, onto a topic of this writer's own ({@code topic}, made if it is
     * missing and this process may): a node's reports, which only that node's Kafka user may write.
     */
    public <T> StateReporter<T> reporter(String kind, StreamTopic topic) {
        ensure(topic);
        return new StateReporter<>(kind, topic.name(), producer, clock, config.instance());
    }

    /** This process's request client, created on first use. */
    public synchronized RequestClient client() {
        if (client == null) {
            String topic = Topics.replies(config.instance());
            List<org.apache.kafka.clients.admin.NewTopic> topics = new ArrayList<>(List.of(Topics.shortLived(topic, REPLY_RETENTION.toMillis())));
            topics.addAll(Topics.lanesFrom(config.service())); // so that its first call does not wait for the callee to make them
            Topics.ensure(admin, topics);
            client = track(new RequestClient(producer, newConsumer(null), topic, clock, fatal, config.service()));
        }
        return client;
    }

    /**
     * Starts serving this service's request topic (and the lanes of the services that call it) with the
     * given command handlers, acting only for the principal {@code check} verifies on each request.
     * There is no default: every server says whom it believes.
     */
    public RequestServer serve(Map<String, Handler> handlers, RequestServer.PrincipalCheck check) {
        ensureRequestTopic(config.service());
        Properties p = config.consumer();
        p.put(ConsumerConfig.GROUP_ID_CONFIG, requestGroup(config.service()));
        p.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, config.instance());
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "10000");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return track(new RequestServer(config.service(), handlers, check, measured(new KafkaConsumer<>(p)), producer, clock, fatal));
    }

    /**
     * Makes sure {@code service}'s request topic exists: for a service whose own Kafka identity may
     * not create topics (a joined node's agent), the platform makes it before handing the identity out.
     */
    public void ensureRequestTopic(String service) {
        Topics.ensure(admin, Topics.requestTopics(service));
    }

    /** The transactional id of {@code kind}'s single writer: a new owner fences the one before it. */
    public static String ownerTransactionalId(String kind) {
        return "lattice-owner-" + kind;
    }

    /** The consumer group in which {@code service}'s instances share its request topic. */
    public static String requestGroup(String service) {
        return "lattice-service-" + service;
    }

    /** The cluster's users and ACLs, through this process's admin client (the node manager's joining hosts). */
    public dev.lattice.bus.identity.ClusterIdentities identities() {
        return new dev.lattice.bus.identity.ClusterIdentities(admin);
    }

    /**
     * Starts this process's heartbeat (status STARTING until told otherwise), and its
     * {@link #metrics()} beside the service's own start: they cost a cold JVM ~0.3 s (Micrometer's
     * and Prometheus' classes, the JVM binders), which thirteen processes starting at once on two
     * cores would otherwise add to the platform's time to UP.
     */
    public HeartbeatPublisher heartbeat() {
        Thread.ofVirtual().name("metrics-start").start(() -> {
            try {
                metrics();
            } catch (RuntimeException e) {
                log.warn("no /metrics for {}: {}", config.instance(), e.toString());
            }
        });
        return track(new HeartbeatPublisher(producer, config, clock));
    }

    /**
     * This process's metrics, created on first use (every service's {@link #heartbeat()} does):
     * served at {@code /metrics} on {@code LATTICE_METRICS_HOST} (default 127.0.0.1; {@code up
     * --listen} sets it) and {@code LATTICE_METRICS_PORT} (default 0: a free port), and advertised
     * as a {@link MetricsTarget} under this instance's name until the bus closes. Kafka clients made
     * after it report into it.
     */
    public ProcessMetrics metrics() {
        return metrics(System.getenv().getOrDefault("LATTICE_METRICS_HOST", "127.0.0.1"));
    }

    /** {@link #metrics()}, listening on {@code host} if they are not started yet (an agent: its node's address). */
    public synchronized ProcessMetrics metrics(String host) {
        if (metrics != null) return metrics;
        if (closed) throw new IllegalStateException("the bus of " + config.instance() + " is closed");
        ProcessMetrics m = track(new ProcessMetrics());
        m.bind(producer);
        unmeasured.forEach(m::bind);
        unmeasured.clear();
        String portText = System.getenv().getOrDefault("LATTICE_METRICS_PORT", "0");
        int port = m.serve(host, portText.isBlank() ? 0 : Integer.parseInt(portText.strip()));
        metrics = m;
        try {
            StateReporter<MetricsTarget> targets = reporter(MetricsTarget.KIND);
            targets.put(config.instance(), new MetricsTarget(config.service(), config.instance(), config.node(), host + ":" + port, clock.instant()));
            track(() -> targets.remove(config.instance())); // a process stopped on purpose is no target
        } catch (RuntimeException e) {
            // Metrics are for people: a process whose identity may not write the kind still runs.
            log.warn("cannot advertise the metrics of {} at {}:{}: {}", config.instance(), host, port, e.toString());
        }
        return m;
    }

    /** Binds a Kafka client to this process's metrics, now or (if they are not started yet) when they start. */
    private <C> C measured(C kafkaClient) {
        ProcessMetrics m;
        synchronized (this) {
            m = metrics;
            if (m == null) unmeasured.add(kafkaClient);
        }
        if (m != null) m.bind(kafkaClient);
        return kafkaClient;
    }

    /**
     * A producer of its own for a high-volume stream (readings): like the shared one, plus
     * {@code overrides} (e.g. a little linger to batch). Closed with the bus.
     */
    public KafkaProducer<String, byte[]> newProducer(Map<String, String> overrides) {
        Properties p = config.producer();
        p.putAll(overrides);
        KafkaProducer<String, byte[]> extra = new KafkaProducer<>(p);
        track(() -> extra.close(Duration.ofSeconds(5)));
        return extra;
    }

    /**
     * Follows every partition of {@code topic} from {@code from} on a thread of its own, calling
     * {@code listener} with each record and after each poll (at least every {@code tick}). If it
     * breaks, the process goes by its fatal policy. Closed with the bus.
     */
    public Follower follow(String topic, From from, Duration tick, Follower.Listener listener) {
        return track(new Follower(topic, newConsumer(null), from, tick, clock, listener, fatal));
    }

    /** As {@link #follow}, but shared by the instances in consumer group {@code group} ({@link Follower#shared}). */
    public Follower share(String topic, String group, Duration tick, Follower.Listener listener) {
        return track(Follower.shared(topic, newConsumer(group), tick, clock, listener, fatal));
    }

    /**
     * Follows every topic named {@code prefix...}, also those made later ({@link Follower#ofPrefix}):
     * those there now from {@code lookBack} ago, new ones found every {@code discovery}. Closed with the bus.
     */
    public Follower followPrefix(String prefix, Duration discovery, Duration lookBack, Follower.Listener listener) {
        // A partition assigned while a fetch waits is first fetched when that one returns: a fetch
        // that waits no longer than the discovery period keeps a new topic's first record from waiting 5 s.
        Properties p = config.consumer();
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, Long.toString(discovery.toMillis()));
        return track(Follower.ofPrefix(prefix, discovery, measured(new KafkaConsumer<>(p)), From.within(lookBack), discovery,
                clock, listener, fatal));
    }

    /**
     * Starts this service's periodic loop: {@code pass} at once, then every {@code period} and when
     * woken; a pass failing for {@link ControlLoop#GIVE_UP} on end is fatal. Closed with the bus.
     */
    public ControlLoop loop(String name, Duration period, Runnable pass) {
        return track(new ControlLoop(name, period, ControlLoop.GIVE_UP, pass, fatal));
    }

    /** A plain consumer, in {@code group} or, with null, for manual assignment. The caller closes it. */
    public KafkaConsumer<String, byte[]> newConsumer(String group) {
        Properties p = config.consumer();
        if (group != null) p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        return measured(new KafkaConsumer<>(p));
    }

    /**
     * A consumer for state views: the general one, or with {@code fast} one whose fetches wait
     * 100 ms (see {@link ViewReader}). Owners write in transactions; a waiting read_committed fetch is
     * answered when one commits (an owner's 60 writes took the same time with 100 ms and 1 s, 4 Dec).
     */
    private KafkaConsumer<String, byte[]> viewConsumer(boolean fast) {
        Properties p = config.consumer();
        if (fast) p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "100");
        return measured(new KafkaConsumer<>(p));
    }

    private synchronized <C extends AutoCloseable> C track(C closeable) {
        closeables.push(closeable);
        return closeable;
    }

    @Override
    public synchronized void close() {
        closed = true;
        while (!closeables.isEmpty()) {
            AutoCloseable c = closeables.pop();
            try {
                c.close();
            } catch (Exception e) {
                log.warn("closing {} failed: {}", c.getClass().getSimpleName(), e.toString());
            }
        }
        producer.close(Duration.ofSeconds(5));
        admin.close(Duration.ofSeconds(5));
    }
}
