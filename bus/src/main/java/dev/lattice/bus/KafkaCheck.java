package dev.lattice.bus;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * Asks an external Kafka for its cluster id, with the credentials the platform will use, so a wrong
 * {@code --kafka} or {@code LATTICE_KAFKA_*} fails fast with one clear line.
 */
public final class KafkaCheck {
    private KafkaCheck() {}

    public static boolean reachable(String bootstrap, KafkaSecurity security, Duration timeout) {
        Properties p = new Properties();
        p.putAll(security.properties());
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        try (Admin admin = Admin.create(p)) {
            admin.describeCluster().clusterId().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (Exception e) {
            return false;
        }
    }
}
