package dev.lattice.bus.state;

import dev.lattice.bus.Topics;
import java.time.Clock;
import java.time.Duration;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.KafkaException;

/** Builds views and owners from Kafka clients; {@link dev.lattice.bus.Bus} is the usual way in. */
public final class States {
    private States() {}

    public static <T> StateView<T> view(String kind, Class<T> type, KafkaConsumer<String, byte[]> consumer, dev.lattice.bus.Fatal fatal) {
        StateView<T> view = new StateView<>(kind, type, Topics.state(kind), consumer, fatal);
        view.start();
        return view;
    }

    /**
     * Fences earlier owners first (initTransactions completes or aborts whatever they left
     * open), then builds the view, so the view includes every write an earlier owner committed.
     */
    public static <T> StateOwner<T> owner(String kind, Class<T> type, KafkaProducer<String, byte[]> producer,
                                          KafkaConsumer<String, byte[]> consumer, Clock clock, Duration catchUp,
                                          dev.lattice.bus.Fatal fatal) {
        try {
            producer.initTransactions();
        } catch (KafkaException e) {
            producer.close(Duration.ZERO);
            consumer.close(Duration.ZERO);
            throw new IllegalStateException("cannot become the owner of " + kind + ": " + e.getMessage(), e);
        }
        StateView<T> view = view(kind, type, consumer, fatal);
        view.awaitCaughtUp(catchUp);
        return new StateOwner<>(kind, Topics.state(kind), producer, view, clock, fatal);
    }
}
