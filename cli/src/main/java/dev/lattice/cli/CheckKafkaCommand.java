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
 */
@Command(name = "check-kafka", description = "Check that an existing Kafka cluster allows what Lattice needs (credentials: LATTICE_KAFKA_*).")
final class CheckKafkaCommand implements Callable<Integer> {
    @Option(names = "--kafka", required = true, description = "The cluster's bootstrap servers, HOST:PORT[,...]")
    String kafka;

    @Override
    public Integer call() {
        KafkaSecurity security;
        try {
            security = KafkaSecurity.fromEnv(System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("lattice check-kafka: " + e.getMessage());
            return 2;
        }
        List<KafkaReadiness.Check> checks = KafkaReadiness.check(kafka, security);
        for (var c : checks) System.out.println((c.ok() ? "ok       " : "MISSING  ") + c.what() + (c.detail().isBlank() ? "" : " — " + c.detail()));
        boolean ok = checks.stream().allMatch(KafkaReadiness.Check::ok);
        System.out.println(ok ? "This cluster has what Lattice needs." : "This cluster lacks what is marked MISSING.");
        return ok ? 0 : 1;
    }
}
