package dev.lattice.bus.identity;

import dev.lattice.bus.KafkaSecurity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What an existing Kafka cluster must allow for Lattice to run on it with hosts joining, checked
 * by doing each thing once with throw-away names ({@code lattice check-kafka}): reach it as the
 * platform's user; see its brokers (three or more: topics get three replicas); create and delete a
 * topic; make a SCRAM-SHA-256 user; set ACLs (an authorizer runs and the platform's user may
 * administer it); and log in as that user, held to its ACLs. Each failed check says what to change.
 */
public final class KafkaReadiness {
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    private KafkaReadiness() {}

    /** One check: what, whether it holds, and what was seen (or what to change). */
    public record Check(String what, boolean ok, String detail) {}

    public static List<Check> check(String bootstrap, KafkaSecurity platform) {
        List<Check> out = new ArrayList<>();
        try (Admin admin = Admin.create(props(bootstrap, platform))) {
            int brokers;
            try {
                brokers = admin.describeCluster().nodes().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).size();
                out.add(new Check("reachable as the platform's user", true, bootstrap));
            } catch (Exception e) {
                out.add(new Check("reachable as the platform's user", false, cause(e)
                        + " (set LATTICE_KAFKA_USERNAME/PASSWORD or LATTICE_KAFKA_PROPERTIES for the cluster's listener)"));
                return out;
            }
            out.add(new Check("brokers", true, brokers + (brokers >= 3 ? ": Lattice's topics get 3 replicas, min.insync.replicas 2"
                    : ": Lattice's topics get the cluster's default replication (3 brokers or more for 3 replicas)")));
            String topic = "lattice.check-" + UUID.randomUUID().toString().substring(0, 8);
            out.add(attempt("the platform's user creates and deletes topics", () -> {
                admin.createTopics(List.of(new NewTopic(topic, 1, (short) Math.min(3, brokers)))).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                admin.deleteTopics(List.of(topic)).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }, "give it CREATE and DELETE on topics lattice.* (or make it a super user)"));
            String user = "lattice-check-" + UUID.randomUUID().toString().substring(0, 8);
            KafkaIdentities.Credential[] made = new KafkaIdentities.Credential[1];
            Check grant = attempt("SCRAM-SHA-256 users and ACLs can be made (each service's own, joining hosts')", () -> made[0] = KafkaIdentities.grant(admin, user,
                    new KafkaIdentities.Grants(List.of(), List.of(topic), List.of(), List.of())),
                    "run an authorizer (KRaft: StandardAuthorizer) with the platform's user in super.users");
            out.add(grant);
            if (grant.ok()) {
                out.add(loginCheck(bootstrap, made[0], topic));
                try {
                    KafkaIdentities.revoke(admin, user);
                } catch (RuntimeException e) {
                    out.add(new Check("the check's user removed", false, user + ": " + cause(e)));
                }
            }
        }
        return out;
    }

    /**
     * Whether the cluster holds each of {@code users}' ACLs now (after {@code lattice up} made them,
     * or an operator did by hand): one check per user, naming what is missing. A user that Lattice
     * cannot make itself (the platform's user may not administer ACLs) is made from this list.
     */
    public static List<Check> checkIdentities(String bootstrap, KafkaSecurity platform, Map<String, KafkaIdentities.Grants> users) {
        List<Check> out = new ArrayList<>();
        try (Admin admin = Admin.create(props(bootstrap, platform))) {
            java.util.Set<org.apache.kafka.common.acl.AclBinding> present;
            try {
                present = new java.util.HashSet<>(admin.describeAcls(org.apache.kafka.common.acl.AclBindingFilter.ANY).values()
                        .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
            } catch (Exception e) {
                out.add(new Check("the cluster's ACLs readable as the platform's user", false, cause(e)));
                return out;
            }
            users.forEach((user, grants) -> {
                List<String> missing = KafkaIdentities.bindings(user, grants).stream().filter(b -> !present.contains(b))
                        .map(KafkaIdentities::describe).toList();
                out.add(new Check("user " + user + ": " + KafkaIdentities.bindings(user, grants).size() + " ACLs", missing.isEmpty(),
                        missing.isEmpty() ? "" : "missing " + String.join("; ", missing)));
            });
        }
        return out;
    }

    /** The made user logs in with SCRAM, and the broker holds it to its ACLs: writing an ungranted topic is refused. */
    private static Check loginCheck(String bootstrap, KafkaIdentities.Credential c, String grantedTopic) {
        String what = "a made user logs in with SCRAM-SHA-256 and is held to its ACLs";
        Properties p = props(bootstrap, c.security());
        p.put("key.serializer", StringSerializer.class.getName());
        p.put("value.serializer", StringSerializer.class.getName());
        p.put("max.block.ms", "10000");
        p.put("delivery.timeout.ms", "10000");
        p.put("request.timeout.ms", "5000");
        try (var producer = new KafkaProducer<String, String>(p)) {
            producer.send(new ProducerRecord<>("lattice.state.user", "check", "{}")).get(15, TimeUnit.SECONDS);
            return new Check(what, false, "it wrote lattice.state.user without a grant: the authorizer lets everyone in "
                    + "(allow.everyone.if.no.acl.found must be false)");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof org.apache.kafka.common.errors.AuthorizationException) return new Check(what, true, "refused where not granted");
            if (e.getCause() instanceof org.apache.kafka.common.errors.SaslAuthenticationException) {
                return new Check(what, false, "its login failed: enable SCRAM-SHA-256 on the clients' listener "
                        + "(listener.name.NAME.sasl.enabled.mechanisms, and a ScramLoginModule jaas config for it)");
            }
            return new Check(what, false, cause(e));
        } catch (Exception e) {
            return new Check(what, false, cause(e));
        }
    }

    private interface Step {
        void run() throws Exception;
    }

    private static Check attempt(String what, Step step, String fix) {
        try {
            step.run();
            return new Check(what, true, "");
        } catch (Exception e) {
            return new Check(what, false, cause(e) + ": " + fix);
        }
    }

    private static String cause(Throwable e) {
        Throwable c = e;
        while ((c instanceof ExecutionException || c instanceof IllegalStateException) && c.getCause() != null) c = c.getCause();
        return c.getClass().getSimpleName() + (c.getMessage() == null ? "" : ": " + c.getMessage().lines().findFirst().orElse(""));
    }

    private static Properties props(String bootstrap, KafkaSecurity security) {
        Properties p = new Properties();
        p.putAll(security.properties());
        p.putAll(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, "10000", CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, "15000",
                CommonClientConfigs.RECONNECT_BACKOFF_MAX_MS_CONFIG, "1000"));
        return p;
    }
}
