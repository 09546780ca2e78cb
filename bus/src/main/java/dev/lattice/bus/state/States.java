package dev.lattice.bus.state;

import dev.lattice.bus.Topics;
import java.time.Clock;
import java.time.Duration;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.KafkaException;

/** Builds owners from Kafka clients (views come from a {@link ViewReader}); {@link dev.lattice.bus.Bus} is the usual way in. */
public final class States {
    private States() {}

    /**
     * Fences earlier owners first (initTransactions completes or aborts whatever they left
     * open), then builds the view, so the view includes every write an earlier owner committed.
     */
    public static <T> StateOwner<T> owner(String kind, Class<T> type, KafkaProducer<String, byte[]> producer,
                                          ViewReader views, Clock clock, Duration catchUp,
                                          dev.lattice.bus.Fatal fatal, StateOwner.Copies<T> copies) {
        try {
            producer.initTransactions();
        } catch (KafkaException e) {
            producer.close(Duration.ZERO);
            throw new IllegalStateException("cannot become the owner of " + kind + ": " + e.getMessage(), e);
        }
        StateView<T> view = views.view(kind, type);
        view.awaitCaughtUp(catchUp);
        return new StateOwner<>(kind, Topics.state(kind), producer, view, clock, fatal, copies);
    }
}
