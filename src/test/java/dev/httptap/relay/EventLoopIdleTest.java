package dev.httptap.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** {@link EventLoop#idleNanos}: the loop's waits count, its work does not; on a clock the test moves. */
class EventLoopIdleTest {
    private final AtomicLong clock = new AtomicLong(1_000);

    @Test
    void countsTheWaitsAndNotTheWork() throws Exception {
        try (EventLoop loop = new EventLoop("idle-test", clock::get)) {
            loop.start(new EventLoop.Turn() {
                @Override
                public long run(long now) {
                    return Long.MAX_VALUE; // no timers: the loop waits until woken
                }

                @Override
                public void stop() {}
            });
            LoopHarness.await("the loop waiting", () -> loop.idleNanos(clock.get() + 1) == 1);
            clock.set(1_500);
            assertEquals(500, loop.idleNanos(1_500), "a wait under way counts up to now");

            // A task that takes 10,000 ns of the clock: work, not waiting.
            CompletableFuture<Void> worked = new CompletableFuture<>();
            loop.execute(() -> {
                clock.addAndGet(10_000);
                worked.complete(null);
            });
            worked.get(LoopHarness.WAIT_MILLIS, TimeUnit.MILLISECONDS);
            LoopHarness.await("the loop waiting again", () -> loop.idleNanos(11_600) == 600);
            assertEquals(500 + 400, loop.idleNanos(11_900));
        }
    }

    @Test
    void aLoopNotStartedHasNotWaited() throws IOException {
        try (EventLoop loop = new EventLoop("idle-test", clock::get)) {
            assertEquals(0, loop.idleNanos(5_000));
        }
    }
}
