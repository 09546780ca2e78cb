package dev.lattice.mqtt.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DeliveriesTest {
    private final Deliveries deliveries = new Deliveries();

    @Test
    void qos1DeliveryCompletesOnTheMatchingPuback() {
        Deliveries.Tracked d = deliveries.track(Duration.ofSeconds(10));
        deliveries.sending(d.id(), "c1", 7, true);
        deliveries.acknowledged("c1", 8, true);
        deliveries.acknowledged("c2", 7, true);
        assertThat(d.future()).isNotDone();
        deliveries.acknowledged("c1", 7, true);
        assertThat(d.future()).isCompletedWithValue(true);
        assertThat(deliveries.open()).isZero();
    }

    @Test
    void qos0DeliveryCompletesWhenWritten() {
        Deliveries.Tracked d = deliveries.track(Duration.ofSeconds(10));
        deliveries.sending(d.id(), "c1", 0, false);
        assertThat(d.future()).isCompletedWithValue(true);
    }

    @Test
    void errorPubackDoesNotCountAsDelivered() {
        Deliveries.Tracked d = deliveries.track(Duration.ofSeconds(10));
        deliveries.sending(d.id(), "c1", 3, true);
        deliveries.acknowledged("c1", 3, false);
        assertThat(d.future()).isNotDone();
    }

    @Test
    void timeoutCompletesFalseAndForgetsTheInFlightPacket() throws Exception {
        Deliveries.Tracked d = deliveries.track(Duration.ofMillis(50));
        deliveries.sending(d.id(), "c1", 5, true);
        assertThat(d.future().get(2, TimeUnit.SECONDS)).isFalse();
        assertThat(deliveries.open()).isZero();
        // A late PUBACK for the reused packet id belongs to nobody.
        Deliveries.Tracked next = deliveries.track(Duration.ofSeconds(10));
        deliveries.acknowledged("c1", 5, true);
        assertThat(next.future()).isNotDone();
    }

    @Test
    void abandonCompletesEverythingFalse() {
        Deliveries.Tracked a = deliveries.track(Duration.ofSeconds(10));
        Deliveries.Tracked b = deliveries.track(Duration.ofSeconds(10));
        deliveries.abandonAll();
        assertThat(a.future()).isCompletedWithValue(false);
        assertThat(b.future()).isCompletedWithValue(false);
    }
}
