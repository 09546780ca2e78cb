package dev.lattice.cli;

import dev.lattice.bus.KafkaSecurity;
import dev.lattice.bus.identity.KafkaReadiness;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lattice check-kafka --kafka HOST:PORT,...}: whether an existing cluster allows what
 * Lattice needs ({@link KafkaReadiness}), with the platform's credentials from the same
 * environment as {@code up --kafka}. Exit 0 when everything holds, 1 when something is missing.
 * With {@code --identities}, also each service's Kafka user and ACLs ({@link ServiceIdentities}),
 * and whether the cluster holds them (it does once {@code up} ran with a user that may make them).
 */
@Command(name = "check-kafka", description = "Check that an existing Kafka cluster allows what Lattice needs (credentials: LATTICE_KAFKA_*).")
final class CheckKafkaCommand implements Callable<Integer> {
    @Option(names = "--kafka", required = true, description = "The cluster's bootstrap servers, HOST:PORT[,...]")
    String kafka;

    @Option(names = "--identities", description = "Also list each service's Kafka user and ACLs, and say which the cluster lacks")
    boolean identities;

    @Override
    public Integer call() {
        KafkaSecurity security;
        try {
            security = KafkaSecurity.fromEnv(System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("lattice check-kafka: " + e.getMessage());
            return 2;
        }
        List<KafkaReadiness.Check> checks = new java.util.ArrayList<>(KafkaReadiness.check(kafka, security));
        if (identities) {
            // What `up` makes (and an operator would, by hand): each user, then whether the cluster holds its ACLs.
            ServiceIdentities.all().forEach((user, grants) -> dev.lattice.bus.identity.KafkaIdentities.bindings(user, grants)
                    .forEach(b -> System.out.println("acl      User:" + user + " " + dev.lattice.bus.identity.KafkaIdentities.describe(b))));
            checks.addAll(KafkaReadiness.checkIdentities(kafka, security, ServiceIdentities.all()));
        }
        for (var c : checks) System.out.println((c.ok() ? "ok       " : "MISSING  ") + c.what() + (c.detail().isBlank() ? "" : " — " + c.detail()));
        boolean ok = checks.stream().allMatch(KafkaReadiness.Check::ok);
        System.out.println(ok ? "This cluster has what Lattice needs." : "This cluster lacks what is marked MISSING.");
        return ok ? 0 : 1;
    }
}
