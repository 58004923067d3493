package dev.httptap.relay;

import static org.junit.jupiter.api.Assertions.fail;

import dev.httptap.stack.Clock;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongUnaryOperator;
import java.util.function.Supplier;

/** A running {@link EventLoop} for tests, and bounded waits for conditions the loop brings about. */
final class LoopHarness implements AutoCloseable {
    static final long WAIT_MILLIS = 10_000;

    final EventLoop loop;
    private final List<LongUnaryOperator> timers = new CopyOnWriteArrayList<>();
    private final List<Runnable> stops = new CopyOnWriteArrayList<>();

    LoopHarness() throws IOException {
        loop = new EventLoop("test-loop", Clock.SYSTEM);
        loop.start(new EventLoop.Turn() {
            @Override
            public long run(long now) {
                long next = Long.MAX_VALUE;
                for (LongUnaryOperator timer : timers) {
                    next = Math.min(next, timer.applyAsLong(now));
                }
                return next;
            }

            @Override
            public void stop() {
                stops.forEach(Runnable::run);
            }
        });
    }

    /** Adds an expiry function (now -> next deadline) to every turn, and its shutdown. */
    void addTimers(LongUnaryOperator expire, Runnable stop) {
        timers.add(expire);
        stops.add(stop);
        loop.wakeup();
    }

    /** Runs on the loop thread and waits for the result. */
    <T> T onLoop(Supplier<T> action) {
        CompletableFuture<T> result = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                result.complete(action.get());
            } catch (RuntimeException | Error e) {
                result.completeExceptionally(e);
            }
        });
        try {
            return result.get(WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("loop task failed", e);
        }
    }

    void onLoop(Runnable action) {
        onLoop(() -> {
            action.run();
            return null;
        });
    }

    /** Waits (bounded) until the condition holds. */
    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("timed out waiting for " + what);
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted waiting for " + what);
            }
        }
    }

    @Override
    public void close() {
        loop.close();
    }
}
