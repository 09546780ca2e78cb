package dev.lattice.bus.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lattice.bus.Bus;
import dev.lattice.bus.TestKafka;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The reader's two speeds: views stay whole when it moves to its quiet consumer and back. */
class ViewReaderIT {
    record Thing(String colour, int size) {}

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void viewsStayWholeAcrossTheMoveToTheQuietConsumerAndBack() throws Exception {
        String mine = TestKafka.unique("mine");
        String theirs = TestKafka.unique("theirs");
        try (Bus bus = TestKafka.bus("reader-test"); Bus other = TestKafka.bus("reader-test-other")) {
            StateOwner<Thing> owner = bus.own(mine, Thing.class, WAIT);
            StateOwner<Thing> elsewhere = other.own(theirs, Thing.class, WAIT);
            owner.create("before", new Thing("red", 1), "test");
            elsewhere.create("early", new Thing("blue", 1), "test");

            Thread.sleep(ViewReader.QUIET_AFTER.plusSeconds(2).toMillis()); // now on the quiet consumer
            owner.create("after", new Thing("red", 2), "test"); // read-your-writes still holds
            assertThat(owner.view().get("after")).isPresent();
            elsewhere.create("late", new Thing("blue", 2), "test");

            // A view attached now (back to the fast consumer) reads the topic whole, and follows it.
            StateView<Thing> view = bus.view(theirs, Thing.class);
            view.awaitCaughtUp(WAIT);
            assertThat(view.get("early")).isPresent();
            assertThat(view.get("late")).isPresent();
            elsewhere.create("later", new Thing("blue", 3), "test");
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (view.get("later").isEmpty() && System.nanoTime() < deadline) Thread.sleep(20);
            assertThat(view.get("later")).isPresent();
            assertThat(owner.view().list()).hasSize(2);
        }
    }
}
