package dev.lattice.bus;

import java.util.Objects;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * How one process reaches Kafka and who it is there.
 *
 * @param bootstrapServers {@code host:port[,host:port]} of the cluster ({@code LATTICE_KAFKA})
 * @param service          the service this process runs, e.g. {@code auth}
 * @param instance         this process's stable name, e.g. {@code auth.n1}; restarts reuse it
 * @param node             the node the process runs on
 * @param security         how clients authenticate ({@code LATTICE_KAFKA_USERNAME}, {@code _PASSWORD},
 *                         {@code _PROPERTIES}; see {@link KafkaSecurity}), added to every client config
 */
public record BusConfig(String bootstrapServers, String service, String instance, String node, KafkaSecurity security) {

    public BusConfig {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers (LATTICE_KAFKA)");
        Objects.requireNonNull(service, "service");
        if (security == null) security = KafkaSecurity.NONE;
        if (node == null || node.isBlank()) node = "local";
        if (instance == null || instance.isBlank()) instance = instanceName(service, node);
        if (!instance.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("LATTICE_INSTANCE: '" + instance + "' may hold only letters, digits, '.', '_' and '-'");
        }
    }

    /** A config for a cluster that asks for no authentication. */
    public BusConfig(String bootstrapServers, String service, String instance, String node) {
        this(bootstrapServers, service, instance, node, KafkaSecurity.NONE);
    }

    /** The conventional instance name, {@code service.node}: also a valid Kafka group instance id. */
    public static String instanceName(String service, String node) {
        return service + "." + node;
    }

    Properties producer() {
        Properties p = common();
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        return p;
    }

    Properties consumer() {
        Properties p = common();
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // A fetch is answered as soon as there is data (fetch.min.bytes 1), a transaction's commit
        // included: this wait bounds only how often an idle consumer asks again. At 100 ms (views) and
        // 500 ms (the rest) a dozen idle processes sent ~150 fetches a second, at 5 s ~20, most of them
        // answered by heartbeats (4 Dec). Its costs: a partition assigned while a fetch waits is first
        // fetched when that one returns (the view reader starts on a fast consumer for that), and
        // closing gracefully waits for the fetch in flight (consumers are closed at once).
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "5000");
        return p;
    }

    Properties admin() {
        return common();
    }

    private Properties common() {
        Properties p = new Properties();
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(CommonClientConfigs.CLIENT_ID_CONFIG, instance);
        p.put(CommonClientConfigs.RECONNECT_BACKOFF_MAX_MS_CONFIG, "1000");
        p.putAll(security.properties());
        return p;
    }
}
