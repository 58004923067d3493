package dev.httptap.relay;

import dev.httptap.log.Log;
import dev.httptap.log.RepeatedFailure;
import dev.httptap.stack.Clock;
import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One thread and one selector. Each turn it runs queued tasks and the owner's {@link Turn} (which returns
 * when it next needs to run), waits for channels until then, and calls the {@link ChannelHandler} attached
 * to each ready key. Everything that touches channels or the stack runs on this thread.
 */
final class EventLoop implements AutoCloseable {
    /** The owner's work each time round the loop. */
    interface Turn {
        /** Does the due work at {@code now}; returns the {@link Clock} time it must next run, or MAX_VALUE. */
        long run(long now);

        /** Runs once on the loop thread when the loop stops, before the selector closes. */
        void stop();
    }

    private static final long STOP_WAIT_MILLIS = 5_000;
    private static final long TURN_RETRY_NANOS = 10_000_000;

    private final Selector selector;
    private final Clock clock;
    private final Thread thread;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean wakeupPending = new AtomicBoolean();
    private final Consumer<SelectionKey> dispatch = this::dispatch;
    private volatile boolean running;
    /** Time the loop waited for work, its current wait not included; written by the loop thread only. */
    private volatile long waitedNanos;
    /** When the loop's current wait began; 0 while it works. */
    private volatile long waitingSince;
    private Turn turn;
    private final RepeatedFailure turnFailures = new RepeatedFailure("a relay turn failed, carrying on");

    EventLoop(String name, Clock clock) throws IOException {
        this.selector = Selector.open();
        this.clock = clock;
        this.thread = new Thread(this::loop, name);
        this.thread.setDaemon(true);
    }

    Selector selector() {
        return selector;
    }

    Clock clock() {
        return clock;
    }

    void start(Turn owner) {
        turn = owner;
        running = true;
        thread.start();
    }

    /** Runs {@code task} on the loop thread soon; callable from any thread. */
    void execute(Runnable task) {
        tasks.add(task);
        wakeup();
    }

    /**
     * Makes the loop take a turn now; callable from any thread. Wakeups coalesce: while one is pending and
     * the loop has not started its next turn, further calls cost no system call.
     */
    void wakeup() {
        if (!wakeupPending.getAndSet(true)) {
            selector.wakeup();
        }
    }

    boolean inLoopThread() {
        return Thread.currentThread() == thread;
    }

    /** Stops the loop, lets the owner release everything on the loop thread, and waits for it (bounded). */
    @Override
    public void close() {
        running = false;
        selector.wakeup();
        if (!inLoopThread() && thread.isAlive()) {
            try {
                thread.join(STOP_WAIT_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (thread.isAlive()) {
                Log.error("relay loop did not stop within %d ms", STOP_WAIT_MILLIS);
            }
        }
    }

    /**
     * How long the loop has waited for work in all, up to {@code now} (its clock's): a loop that has work but
     * no CPU to do it does not count as waiting. From any thread.
     */
    long idleNanos(long now) {
        while (true) {
            long since = waitingSince;
            long waited = waitedNanos;
            if (waitingSince == since) { // no wait began or ended between the two reads
                return since == 0 ? waited : waited + Math.max(0, now - since);
            }
        }
    }

    private void loop() {
        try {
            while (running) {
                // Cleared before looking at the queues: anything queued after this point wakes the select.
                wakeupPending.set(false);
                runTasks();
                long now = clock.nanoTime();
                long next = runTurn(now);
                select(next, now);
            }
        } catch (IOException | RuntimeException e) {
            // Only the selector itself gets here: everything else is contained where it happens.
            Log.error("relay loop failed: %s", e);
        } finally {
            try {
                turn.stop();
            } catch (RuntimeException e) {
                Log.error("relay shutdown failed: %s", e);
            }
            try {
                selector.close();
            } catch (IOException e) {
                Log.verbose("closing the selector: %s", e);
            }
        }
    }

    /**
     * The owner's turn. Whatever escapes it (flows contain their own failures, so this is a bug or an
     * Error with no flow to blame) is reported and the loop carries on, a little later so a failure that
     * repeats does not spin: stopping would hang every connection of the command.
     */
    private long runTurn(long now) {
        try {
            return turn.run(now);
        } catch (Throwable e) {
            turnFailures.report(e);
            return now + TURN_RETRY_NANOS;
        }
    }

    private void select(long deadline, long now) throws IOException {
        if (!tasks.isEmpty() || deadline - now <= 0) {
            selector.selectNow(dispatch);
            return;
        }
        waitingSince = clock.nanoTime();
        try {
            if (deadline == Long.MAX_VALUE) {
                selector.select(dispatch);
            } else {
                long millis = Math.max(1, (deadline - now + 999_999) / 1_000_000);
                selector.select(dispatch, millis);
            }
        } finally {
            endWait(); // woken without an event, or the wait failed
        }
    }

    /** The wait ends where the first event is dispatched: handling events is work. */
    private void endWait() {
        long since = waitingSince;
        if (since != 0) {
            waitedNanos += clock.nanoTime() - since; // one writer: no lost updates
            waitingSince = 0;
        }
    }

    private void runTasks() {
        Runnable task;
        while ((task = tasks.poll()) != null) {
            try {
                task.run();
            } catch (Throwable e) {
                Log.error("relay task failed: %s", e);
            }
        }
    }

    private void dispatch(SelectionKey key) {
        endWait();
        if (!key.isValid()) {
            return; // closed by a handler that ran earlier in this turn
        }
        ChannelHandler handler = (ChannelHandler) key.attachment();
        try {
            handler.onReady(key.readyOps());
        } catch (Throwable e) {
            Log.error("relay handler failed: %s", e);
            handler.fail(e);
        }
    }
}
