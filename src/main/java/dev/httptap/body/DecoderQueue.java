package dev.httptap.body;

import dev.httptap.log.RepeatedFailure;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Measures content-coded bodies off the thread that receives them: that thread only copies each chunk in
 * here, and one worker (the decoder thread) feeds the chunks to their {@link LengthMeter}s, a chunk at a
 * time, taking the bodies in turn. The chunks waiting, across all bodies, are held to a byte budget: a body
 * whose chunk would overflow it is abandoned (its waiting chunks dropped, its length not known: "the decoder
 * fell behind"), so a decoder slower than the network costs at most the budget in memory, never the
 * receiving thread's pace.
 *
 * <p>The worker is an {@link Executor} given a task whenever work appears with no task running (a single
 * thread's executor; tests run the tasks by hand). A meter is only ever used by one thread at a time: the
 * worker, or the receiving thread for a body none of whose chunks went to the worker.
 */
public final class DecoderQueue {
    /**
     * The usual budget, the bytes waiting for the decoder across all bodies: enough for a 14 MB download
     * that arrives faster than a busy machine decodes it (87 MiB of text as gzip or zstd).
     */
    public static final long DEFAULT_BUDGET_BYTES = 16L << 20;
    static final String FELL_BEHIND = "the decoder fell behind";
    static final String RUN_ENDED = "httptap was ending";
    static final String OUT_OF_MEMORY = "out of memory";

    private final long budgetBytes;
    private final Executor worker;
    /** The bodies with work for the worker, each once, in the order they had it. Guarded by this. */
    private final ArrayDeque<Body> ready = new ArrayDeque<>();
    private long waitingBytes;
    /** A task is given to the worker and has not yet found the queue empty. */
    private boolean draining;
    /** The body whose chunk or end the worker handles now, outside the lock; it is in no queue meanwhile. */
    private Body busy;
    private int busyBytes;
    private boolean finishing;
    private final RepeatedFailure stepFailures = new RepeatedFailure("measuring a decoded length failed");

    /** The usual budget, or an eighth of the heap when that is less (a small -Xmx). */
    public static long defaultBudget() {
        return Math.min(DEFAULT_BUDGET_BYTES, Runtime.getRuntime().maxMemory() / 8);
    }

    public DecoderQueue(long budgetBytes, Executor worker) {
        this.budgetBytes = budgetBytes;
        this.worker = worker;
    }

    /**
     * Takes a body to measure with {@code meter}; {@code whenMeasured} gets the meter, final, on the worker's
     * thread (or the one that calls {@link #finish}), unless the body ends with nothing given to the worker
     * (see {@link Body#end}) or is {@linkplain Body#cancel cancelled}.
     */
    public Body add(LengthMeter meter, Consumer<LengthMeter> whenMeasured) {
        return new Body(meter, whenMeasured);
    }

    /**
     * At the end of the run: waits up to {@code bound} for the worker to empty the queue, then abandons the
     * bodies still waiting ("httptap was ending"), measures those that ended here, and waits up to
     * {@code bound} again for the one the worker may be in the middle of. Bodies that end later are
     * abandoned at once.
     */
    public void finish(Duration bound) throws InterruptedException {
        List<Runnable> abandonedEnds = new ArrayList<>();
        synchronized (this) {
            finishing = true;
            awaitQuiet(bound, () -> draining || !ready.isEmpty());
            for (Body body; (body = ready.poll()) != null; ) {
                body.queued = false;
                body.abandon(RUN_ENDED);
                if (body.ended && body.whenMeasured != null) {
                    abandonedEnds.add(body.measure(body.abandoned, false));
                }
            }
            if (busy != null) {
                busy.abandon(RUN_ENDED);
            }
            awaitQuiet(bound, () -> busy != null);
        }
        abandonedEnds.forEach(this::run);
    }

    private void awaitQuiet(Duration bound, BooleanSupplier busyNow) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        for (long left = bound.toNanos(); busyNow.getAsBoolean() && left > 0; left = deadline - System.nanoTime()) {
            wait(Math.max(1, left / 1_000_000));
        }
    }

    /**
     * The worker's task: handles chunks and ends, one at a time, until none is left. A step that fails
     * (meters contain their decoders' failures, so a bug) is reported and the next one taken: a task that
     * stopped would leave every body waiting for good.
     */
    private void drain() {
        for (Runnable step; (step = nextStep()) != null; ) {
            run(step);
        }
    }

    private void run(Runnable step) {
        try {
            step.run();
        } catch (RuntimeException | Error e) {
            stepFailures.report(e);
        }
    }

    /** The worker's next piece of work, taken from the queue; null (and the task ends) when there is none. */
    private synchronized Runnable nextStep() {
        if (busy != null) {
            waitingBytes -= busyBytes;
            busy.requeueIfWorkLeft();
            busy = null;
            busyBytes = 0;
            if (finishing) {
                notifyAll();
            }
        }
        for (Body body; (body = ready.poll()) != null; ) {
            body.queued = false;
            ByteBuffer chunk = body.chunks.poll();
            if (chunk != null) {
                busy = body;
                busyBytes = chunk.remaining();
                LengthMeter meter = body.meter;
                return () -> meter.append(chunk);
            }
            if (body.ended && body.whenMeasured != null) {
                busy = body;
                return body.measure(body.abandoned, body.complete);
            }
        }
        draining = false;
        notifyAll();
        return null;
    }

    /** One body's chunks on their way to the worker. Called on the thread that receives the body. */
    public final class Body {
        private final LengthMeter meter;
        private final ArrayDeque<ByteBuffer> chunks = new ArrayDeque<>();
        /** Null once it was measured, or nobody wants its length any more. */
        private Consumer<LengthMeter> whenMeasured;
        private boolean handedOver;
        private boolean queued;
        private boolean ended;
        private boolean complete;
        /** Why its chunks were dropped, or null. */
        private String abandoned;

        private Body(LengthMeter meter, Consumer<LengthMeter> whenMeasured) {
            this.meter = meter;
            this.whenMeasured = whenMeasured;
        }

        /** Copies {@code data} for the worker (unless its meter decodes nothing), or abandons the body. */
        public void append(ByteBuffer data) {
            if (!meter.decodes() || !data.hasRemaining()) {
                return;
            }
            boolean startWorker;
            synchronized (DecoderQueue.this) {
                if (abandoned != null || ended) {
                    return;
                }
                if (finishing || waitingBytes + data.remaining() > budgetBytes) {
                    abandon(finishing ? RUN_ENDED : FELL_BEHIND);
                    return;
                }
                ByteBuffer copy;
                try {
                    copy = ByteBuffer.allocate(data.remaining()).put(data.duplicate()).flip();
                } catch (OutOfMemoryError e) {
                    abandon(OUT_OF_MEMORY); // the body's report, not the connection, pays for a full heap
                    return;
                }
                waitingBytes += copy.remaining();
                chunks.add(copy);
                handedOver = true;
                startWorker = enqueue();
            }
            if (startWorker) {
                worker.execute(DecoderQueue.this::drain);
            }
        }

        /**
         * The body ended ({@code complete}: as its framing said). Returns the meter, final, when none of the
         * body went to the worker (no coding it decodes, or no bytes): measured now, on this thread, and
         * {@code whenMeasured} is not called. Otherwise empty, and the worker measures it.
         */
        public Optional<LengthMeter> end(boolean complete) {
            boolean startWorker;
            synchronized (DecoderQueue.this) {
                if (!handedOver) {
                    whenMeasured = null;
                    if (abandoned != null) {
                        meter.abandon(abandoned);
                    } else {
                        meter.end(complete);
                    }
                    return Optional.of(meter);
                }
                this.ended = true;
                this.complete = complete;
                if (finishing) {
                    abandon(RUN_ENDED);
                }
                startWorker = enqueue();
            }
            if (startWorker) {
                worker.execute(DecoderQueue.this::drain);
            }
            return Optional.empty();
        }

        /** Nobody wants the length any more: its chunks are dropped, and it is never measured. */
        public void cancel() {
            synchronized (DecoderQueue.this) {
                abandon("cancelled");
                whenMeasured = null;
            }
        }

        /** Drops the waiting chunks; the length will say {@code reason}. Under the queue's lock. */
        private void abandon(String reason) {
            if (abandoned == null) {
                abandoned = reason;
            }
            for (ByteBuffer chunk; (chunk = chunks.poll()) != null; ) {
                waitingBytes -= chunk.remaining();
            }
        }

        /** Puts this body in line for the worker; true when a task must be given to the worker. */
        private boolean enqueue() {
            if (!queued && this != busy) {
                queued = true;
                ready.add(this);
            }
            if (draining) {
                return false;
            }
            draining = true;
            return true;
        }

        private void requeueIfWorkLeft() {
            if (!chunks.isEmpty() || (ended && whenMeasured != null)) {
                queued = true;
                ready.add(this);
            }
        }

        /** The step that ends the meter and hands it on; takes {@link #whenMeasured}, under the lock. */
        private Runnable measure(String abandonedFor, boolean completeBody) {
            Consumer<LengthMeter> consumer = whenMeasured;
            whenMeasured = null;
            return () -> {
                if (abandonedFor != null) {
                    meter.abandon(abandonedFor);
                } else {
                    meter.end(completeBody);
                }
                consumer.accept(meter);
            };
        }
    }
}
