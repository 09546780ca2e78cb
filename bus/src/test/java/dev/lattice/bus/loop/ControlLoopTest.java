package dev.lattice.bus.loop;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ControlLoopTest {
    private final AtomicReference<String> fatal = new AtomicReference<>();

    @Test
    void passesAtOnceThenEveryPeriodAndWhenWoken() throws Exception {
        AtomicInteger passes = new AtomicInteger();
        try (ControlLoop loop = new ControlLoop("test", Duration.ofHours(1), ControlLoop.GIVE_UP, passes::incrementAndGet, this::fatal)) {
            await(() -> passes.get() == 1);
            Thread.sleep(200);
            assertThat(passes.get()).as("no second pass before the period").isEqualTo(1);
            loop.wake();
            await(() -> passes.get() == 2);
        }
        assertThat(fatal.get()).isNull();
    }

    @Test
    void wakesDuringAPassMakeOneMorePass() throws Exception {
        AtomicInteger passes = new AtomicInteger();
        CountDownLatch inFirst = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Runnable pass = () -> {
            if (passes.incrementAndGet() == 1) {
                inFirst.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        try (ControlLoop loop = new ControlLoop("test", Duration.ofHours(1), ControlLoop.GIVE_UP, pass, this::fatal)) {
            assertThat(inFirst.await(5, TimeUnit.SECONDS)).isTrue();
            for (int i = 0; i < 10; i++) loop.wake();
            release.countDown();
            await(() -> passes.get() == 2);
            Thread.sleep(200);
            assertThat(passes.get()).isEqualTo(2);
        }
    }

    @Test
    void aFailingPassIsTriedAgainAndOnlyAFailureThatLastsIsFatal() throws Exception {
        AtomicInteger passes = new AtomicInteger();
        Runnable flaky = () -> {
            if (passes.incrementAndGet() <= 3) throw new IllegalStateException("kafka is slow");
        };
        try (ControlLoop loop = new ControlLoop("flaky", Duration.ofMillis(10), Duration.ofSeconds(30), flaky, this::fatal)) {
            await(() -> passes.get() >= 6);
            assertThat(loop.running()).isTrue();
        }
        assertThat(fatal.get()).isNull();

        try (ControlLoop loop = new ControlLoop("broken", Duration.ofMillis(10), Duration.ofMillis(300),
                () -> { throw new IllegalStateException("always"); }, this::fatal)) {
            await(() -> fatal.get() != null);
            assertThat(fatal.get()).isEqualTo("the broken loop (every pass for 0 s): always");
            await(() -> !loop.running());
        }
    }

    @Test
    void anErrorIsFatalAtOnce() throws Exception {
        try (ControlLoop loop = new ControlLoop("oom", Duration.ofMillis(10), ControlLoop.GIVE_UP,
                () -> { throw new OutOfMemoryError("heap"); }, this::fatal)) {
            await(() -> fatal.get() != null);
            assertThat(fatal.get()).isEqualTo("the oom loop: heap");
        }
    }

    @Test
    void closingIsNotAFailureEvenDuringAPass() throws Exception {
        CountDownLatch inPass = new CountDownLatch(1);
        ControlLoop loop = new ControlLoop("slow", Duration.ofMillis(10), ControlLoop.GIVE_UP, () -> {
            inPass.countDown();
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                throw new IllegalStateException("interrupted", e);
            }
        }, this::fatal);
        assertThat(inPass.await(5, TimeUnit.SECONDS)).isTrue();
        loop.close();
        assertThat(loop.running()).isFalse();
        assertThat(fatal.get()).isNull();
    }

    private void fatal(String what, Throwable cause) {
        fatal.set(what + ": " + cause.getMessage());
    }

    private static void await(java.util.function.BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out");
            Thread.sleep(10);
        }
    }
}
