package dev.lattice.cli;

import dev.lattice.api.apps.AppInstance;
import dev.lattice.api.apps.AppVersion;
import dev.lattice.api.apps.Output;
import dev.lattice.api.auth.ApiKey;
import dev.lattice.api.auth.SigningKey;
import dev.lattice.api.models.ModelDeployment;
import dev.lattice.api.models.ModelVersion;
import dev.lattice.api.monitor.HealthReport;
import dev.lattice.api.monitor.Webhook;
import dev.lattice.api.monitor.WebhookDelivery;
import dev.lattice.api.repository.Endpoint;
import dev.lattice.api.scheduler.InstanceSchedule;
import dev.lattice.api.sensors.ControllerCommand;
import dev.lattice.api.sensors.ControllerType;
import dev.lattice.api.sensors.Device;
import dev.lattice.api.sensors.Reading;
import dev.lattice.api.sensors.SensorType;
import dev.lattice.bus.Bus;
import dev.lattice.bus.KafkaSecurity;
import dev.lattice.bus.Topics;
import dev.lattice.bus.identity.KafkaIdentities;
import dev.lattice.bus.metrics.MetricsTarget;
import dev.lattice.core.PlatformServices;
import dev.lattice.gateway.audit.AuditLog;
import dev.lattice.workloads.AgentCommands;
import dev.lattice.workloads.Deployment;
import dev.lattice.workloads.Events;
import dev.lattice.workloads.Node;
import dev.lattice.workloads.NodeReport;
import dev.lattice.workloads.Workload;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Each platform service's own Kafka user ({@code service.NAME}) and what it may touch: the kinds it owns (it alone writes them), the kinds it reads, the services it calls, the
 * streams it writes and reads. Anything else the broker refuses, so a service taken over through
 * what it parses (MQTT, uploads) cannot write users or deployments, nor ask another service to act.
 *
 * <p>The node manager is left out on purpose: it gives joining hosts their Kafka users and ACLs,
 * which takes the cluster's ALTER right, and whoever holds that can grant itself anything; it keeps
 * the platform's own identity. So do the agents {@code lattice up} starts (the control-plane agent
 * holds every service's credential to start them). {@code lattice check-kafka --identities} prints
 * this table as ACLs, for an operator of an external cluster to review or make by hand.
 */
final class ServiceIdentities {
    /** The services that get a user of their own. */
    static final List<String> SERVICES = PlatformServices.ALL.stream().filter(s -> !s.equals(PlatformServices.NODES)).toList();

    private ServiceIdentities() {}

    /** How one service logs in: its user, password and SASL mechanism. */
    record Login(String username, String password, String mechanism) {
        @Override
        public String toString() {
            return "Login[" + username + ", " + mechanism + "]"; // never the password
        }
    }

    /** A new password for each service's user, made before the embedded broker starts (it takes them as PLAIN users). */
    static Map<String, String> newPasswords() {
        Map<String, String> passwords = new TreeMap<>();
        for (String s : SERVICES) passwords.put(username(s), KafkaIdentities.newPassword());
        return passwords;
    }

    /**
     * Gives each service its own Kafka user, with a new password at each start (the old ones stop
     * working: a service of an earlier run cannot come back with them), and sets its ACLs. On the
     * embedded broker ({@code plainPasswords} given: the users it was started with) they log in
     * with PLAIN; on an external cluster they are made as SCRAM-SHA-256 users, which needs the
     * platform's user to be allowed to make users and ACLs, no properties file of client settings
     * (which would name its own login), and a listener that takes SCRAM logins: otherwise every
     * service shares the platform's user, as the console says.
     */
    static Map<String, Login> grant(Bus bus, Map<String, String> plainPasswords) {
        boolean embedded = plainPasswords != null;
        String properties = System.getenv(KafkaSecurity.PROPERTIES_ENV);
        if (!embedded && properties != null && !properties.isBlank()) {
            System.out.println("lattice up: " + KafkaSecurity.PROPERTIES_ENV + " is set, so every service logs in to Kafka as its user "
                    + "(per-service users need SASL with a username and password)");
            return Map.of();
        }
        try {
            long t0 = System.nanoTime();
            Map<String, Login> made = new TreeMap<>();
            if (embedded) {
                KafkaIdentities.setAcls(bus.admin(), all());
                plainPasswords.forEach((user, password) -> made.put(user, new Login(user, password, "PLAIN")));
            } else {
                KafkaIdentities.grantAll(bus.admin(), all()).forEach((user, c) ->
                        made.put(user, new Login(user, c.password(), KafkaIdentities.MECHANISM)));
                // A cluster can store SCRAM users without its listener taking SCRAM logins: then the services could not start.
                Login one = made.values().iterator().next();
                if (!dev.lattice.bus.KafkaCheck.reachable(bus.config().bootstrapServers(), KafkaSecurity.scram(one.username(), one.password()),
                        java.time.Duration.ofSeconds(10))) {
                    System.out.println("lattice up: every service logs in to Kafka as the platform's user: a SCRAM-SHA-256 login was refused "
                            + "(enable SCRAM-SHA-256 on the clients' listener; lattice check-kafka says more)");
                    return Map.of();
                }
            }
            org.slf4j.LoggerFactory.getLogger(ServiceIdentities.class).info("{} services' Kafka users and ACLs set in {} ms", made.size(),
                    (System.nanoTime() - t0) / 1_000_000);
            return made;
        } catch (IllegalStateException e) {
            if (embedded) throw e;
            System.out.println("lattice up: every service logs in to Kafka as the platform's user: " + e.getMessage());
            return Map.of();
        }
    }

    static String username(String service) {
        return "service." + service;
    }

    /** Every service's grants, by Kafka user name. */
    static Map<String, KafkaIdentities.Grants> all() {
        Map<String, KafkaIdentities.Grants> all = new TreeMap<>();
        for (String s : SERVICES) all.put(username(s), grants(s));
        return all;
    }

    static KafkaIdentities.Grants grants(String service) {
        return access(service).orElseThrow(() -> new IllegalArgumentException("no Kafka grants for service " + service)).grants(service);
    }

    private static Optional<Access> access(String service) {
        String user = dev.lattice.auth.users.User.KIND;
        return Optional.ofNullable(switch (service) {
            case PlatformServices.AUTH -> new Access().owns(user, SigningKey.KIND, ApiKey.KIND);
            case PlatformServices.MONITOR -> new Access().owns(HealthReport.KIND, Webhook.KIND, WebhookDelivery.KIND)
                    .views(SigningKey.KIND).reads(Topics.HEARTBEATS, Events.TOPIC).events();
            case PlatformServices.DEPLOYER -> new Access().owns(Workload.KIND, Deployment.KIND).views(Node.KIND, NodeReport.KIND, SigningKey.KIND)
                    .writes(Workload.TOPIC_PREFIX + "*").events();
            case PlatformServices.REPOSITORY -> new Access().reports(Endpoint.KIND).views(SigningKey.KIND);
            case PlatformServices.MODELS -> new Access().owns(ModelVersion.KIND, ModelDeployment.KIND, dev.lattice.api.models.ModelBinding.KIND)
                    .views(Deployment.KIND, Endpoint.KIND, SigningKey.KIND).events();
            case PlatformServices.SENSORS -> new Access().owns(SensorType.KIND, Device.SENSOR_KIND, Device.CONTROLLER_KIND,
                    ControllerType.KIND, ControllerCommand.KIND).views(AppInstance.KIND, SigningKey.KIND).writes(Reading.TOPIC).events();
            case PlatformServices.APPS -> new Access().owns(AppVersion.KIND, AppInstance.KIND)
                    .views(SensorType.KIND, ModelVersion.KIND, Device.SENSOR_KIND, Device.CONTROLLER_KIND, ControllerType.KIND, Endpoint.KIND,
                            SigningKey.KIND).events();
            case PlatformServices.SCHEDULER -> new Access().owns(InstanceSchedule.KIND).views(AppInstance.KIND).events();
            case PlatformServices.GATEWAY -> new Access()
                    .views(Workload.KIND, Deployment.KIND, Node.KIND, NodeReport.KIND, HealthReport.KIND, WebhookDelivery.KIND,
                            SigningKey.KIND, ApiKey.KIND, SensorType.KIND, Device.SENSOR_KIND, Device.CONTROLLER_KIND,
                            ControllerType.KIND, ControllerCommand.KIND, ModelVersion.KIND, ModelDeployment.KIND,
                            dev.lattice.api.models.ModelBinding.KIND, AppVersion.KIND,
                            AppInstance.KIND, InstanceSchedule.KIND, MetricsTarget.KIND, Endpoint.KIND)
                    .calls(PlatformServices.AUTH, PlatformServices.MONITOR, PlatformServices.NODES, PlatformServices.DEPLOYER,
                            PlatformServices.MODELS, PlatformServices.SENSORS, PlatformServices.APPS)
                    .calls(AgentCommands.service("") + "*")
                    .writes(Reading.TOPIC, Output.TOPIC, AuditLog.TOPIC, dev.lattice.api.models.Prediction.TOPIC)
                    .reads(Reading.TOPIC, Output.TOPIC, AuditLog.TOPIC, Events.TOPIC, dev.lattice.api.models.Prediction.TOPIC)
                    .groups(dev.lattice.gateway.models.StreamPredictor.GROUP)
                    .events();
            default -> null;
        });
    }

    /** What one service does on the bus, turned into {@link KafkaIdentities.Grants}. */
    private static final class Access {
        private final Set<String> owned = new LinkedHashSet<>();
        private final Set<String> read = new LinkedHashSet<>();
        private final Set<String> write = new LinkedHashSet<>();
        private final Set<String> groups = new LinkedHashSet<>();

        Access owns(String... kinds) {
            owned.addAll(List.of(kinds));
            return this;
        }

        Access views(String... kinds) {
            for (String k : kinds) read.add(Topics.state(k));
            return this;
        }

        /** Writes keys of these kinds that it is the natural source of, without a transaction. */
        Access reports(String... kinds) {
            for (String k : kinds) write.add(Topics.state(k));
            return this;
        }

        Access calls(String... services) {
            for (String s : services) write.add(Topics.requests(s));
            return this;
        }

        /** Consumer groups beside its request group (a feed whose records its instances share). */
        Access groups(String... names) {
            groups.addAll(List.of(names));
            return this;
        }

        Access reads(String... topics) {
            read.addAll(List.of(topics));
            return this;
        }

        Access writes(String... topics) {
            write.addAll(List.of(topics));
            return this;
        }

        Access events() {
            return writes(Events.TOPIC);
        }

        KafkaIdentities.Grants grants(String service) {
            List<String> r = new ArrayList<>(read);
            List<String> w = new ArrayList<>(write);
            for (String k : owned) {
                r.add(Topics.state(k)); // an owner catches up on its own topic before it writes
                w.add(Topics.state(k));
            }
            // What every platform process does: serve its requests, hear its replies (its instance's
            // topic, named service.node), answer callers, beat, advertise its /metrics, read health.
            r.add(Topics.requests(service));
            // Service-to-service calls (PlatformServices.CALLS) go on the caller's own lanes, which only it writes.
            for (String caller : PlatformServices.callersOf(service)) r.add(Topics.lane(service, caller));
            for (String callee : PlatformServices.CALLS.getOrDefault(service, List.of())) w.add(Topics.lane(callee, service));
            r.add(Topics.replies(service + ".") + "*");
            r.add(Topics.HEALTH);
            w.add(Topics.replies("") + "*");
            w.add(Topics.HEARTBEATS);
            w.add(Topics.state(MetricsTarget.KIND));
            List<String> create = new ArrayList<>(new LinkedHashSet<>(r));
            create.addAll(w);
            List<String> tx = owned.stream().map(Bus::ownerTransactionalId).toList();
            List<String> g = new ArrayList<>(List.of(Bus.requestGroup(service)));
            g.addAll(groups);
            return new KafkaIdentities.Grants(distinct(r), distinct(w), List.of(), distinct(g), tx, distinct(create));
        }

        private static List<String> distinct(List<String> names) {
            return List.copyOf(new LinkedHashSet<>(names));
        }
    }
}
