package dev.lattice.bus;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Every topic name of the platform, in one place, with the settings each is created with.
 *
 * <p>State topics are compacted (the latest document per key survives forever); replies and
 * heartbeats are short-lived and use time-based deletion.
 */
public final class Topics {
    public static final String HEARTBEATS = "lattice.heartbeats";
    public static final String HEALTH = "lattice.health";

    private Topics() {}

    /** The compacted topic holding every object of one kind, keyed {@code kind/name}. */
    public static String state(String kind) {
        return "lattice.state." + kind;
    }

    /** Where commands for a service go; every instance of the service shares the consumer group. */
    public static String requests(String service) {
        return "lattice.requests." + service;
    }

    /**
     * Where service {@code caller} sends {@code callee} the requests it makes on its own behalf: a
     * topic only the caller may write, so that the topic proves the sender (see
     * {@code PlatformServices.CALLS}).
     */
    public static String lane(String callee, String caller) {
        return requests(callee) + ".from." + caller;
    }

    /** The service whose lane {@code topic} is, for a request that arrived on it; null for a main request topic. */
    public static String laneCaller(String topic) {
        int at = topic.indexOf(".from.");
        return at < 0 ? null : topic.substring(at + ".from.".length());
    }

    /** {@code service}'s request topic and the lanes of the services that call it (requests live an hour). */
    public static List<NewTopic> requestTopics(String service) {
        List<NewTopic> topics = new ArrayList<>(List.of(request(requests(service))));
        for (String caller : dev.lattice.core.PlatformServices.callersOf(service)) topics.add(request(lane(service, caller)));
        return topics;
    }

    /** The lanes on which {@code caller} calls other services on its own behalf. */
    public static List<NewTopic> lanesFrom(String caller) {
        return dev.lattice.core.PlatformServices.CALLS.getOrDefault(caller, List.of()).stream().map(callee -> request(lane(callee, caller))).toList();
    }

    private static NewTopic request(String name) {
        return shortLived(name, Duration.ofHours(1).toMillis());
    }

    /** Where the replies for one service instance go. */
    public static String replies(String instance) {
        return "lattice.replies." + instance.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    public static NewTopic compacted(String name) {
        return new NewTopic(name, java.util.Optional.of(1), replication()).configs(Map.of(
                "cleanup.policy", "compact",
                "min.compaction.lag.ms", "0",
                "segment.ms", "3600000"));
    }

    public static NewTopic shortLived(String name, long retentionMs) {
        return shortLived(name, retentionMs, 1);
    }

    public static NewTopic shortLived(String name, long retentionMs, int partitions) {
        return new NewTopic(name, java.util.Optional.of(partitions), replication()).configs(Map.of(
                "cleanup.policy", "delete",
                "retention.ms", Long.toString(retentionMs),
                "segment.ms", Long.toString(Math.max(60_000, retentionMs / 4))));
    }

    /** The topics every platform process needs, whoever starts first. */
    public static List<NewTopic> platform() {
        List<NewTopic> topics = new ArrayList<>();
        topics.add(shortLived(HEARTBEATS, 3_600_000));
        topics.add(compacted(HEALTH));
        topics.add(compacted(state(dev.lattice.bus.metrics.MetricsTarget.KIND)));
        return topics;
    }

    /** Creates the topics that do not exist yet; safe to call from many processes at once. */
    public static void ensure(Admin admin, List<NewTopic> topics) {
        try {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = topics.stream().filter(t -> !existing.contains(t.name())).toList();
            if (missing.isEmpty()) return;
            int brokers = admin.describeCluster().nodes().get().size();
            missing = missing.stream().map(t -> forCluster(t, brokers)).toList();
            for (var entry : admin.createTopics(missing).values().entrySet()) {
                try {
                    entry.getValue().get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) throw e;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot create topics " + topics.stream().map(NewTopic::name).toList()
                    + ": " + e.getCause().getMessage(), e.getCause());
        }
    }

    /**
     * {@code topic} as this cluster should hold it: with three brokers or more and no replication
     * set ({@code LATTICE_KAFKA_REPLICATION}), three replicas, of which two must have each write
     * ({@code min.insync.replicas} 2: with producers' {@code acks=all}, one broker may be lost
     * without losing an acknowledged record or stopping writes). A cluster's own default is often 1.
     */
    static NewTopic forCluster(NewTopic topic, int brokers) {
        short rf = topic.replicationFactor();
        if (rf < 0 && brokers >= 3) rf = 3;
        if (rf < 3) return topic;
        Map<String, String> configs = new java.util.HashMap<>(topic.configs() == null ? Map.of() : topic.configs());
        configs.putIfAbsent("min.insync.replicas", "2");
        return new NewTopic(topic.name(), topic.numPartitions() < 0 ? java.util.Optional.empty() : java.util.Optional.of(topic.numPartitions()),
                java.util.Optional.of(rf)).configs(configs);
    }

    /**
     * Closes a consumer at once. A graceful close waits for the fetch in flight, up to the fetch
     * wait (5 s), and a stopping service closes several consumers in turn (SIGTERM to gone took
     * 13 s). Nothing is lost: the only group offsets kept are the request server's, committed first.
     */
    public static void closeAtOnce(Consumer<?, ?> consumer) {
        consumer.close(Duration.ZERO);
    }

    /**
     * The partitions of {@code topic}, as {@code consumer} learns them. A topic created a moment ago
     * (by this process or another) may not be in every broker's metadata yet, so an empty answer is
     * asked again for up to {@code wait} before it is an error.
     */
    public static List<TopicPartition> partitionsOf(Consumer<?, ?> consumer, String topic, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            List<TopicPartition> parts = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            if (!parts.isEmpty()) return parts;
            if (System.nanoTime() > deadline) throw new IllegalStateException("topic " + topic + " does not exist");
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                throw new InterruptException(e);
            }
        }
    }

    /** {@code LATTICE_KAFKA_REPLICATION} if set, else the cluster's own default.replication.factor. */
    private static java.util.Optional<Short> replication() {
        String configured = System.getenv("LATTICE_KAFKA_REPLICATION");
        return configured == null || configured.isBlank() ? java.util.Optional.empty() : java.util.Optional.of(Short.parseShort(configured.trim()));
    }
}
