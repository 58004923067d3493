package dev.httptap.stack;

import static dev.httptap.stack.TimerQueue.NEVER;

import java.util.function.LongConsumer;

/**
 * One connection's timers, kept as a single entry in the stack's {@link TimerQueue} at the earliest of four
 * slots: the deadline (retransmission, zero-window probe, TIME-WAIT or FIN-WAIT-2: one at a time, as no state
 * needs two), the delayed ACK, the release of emptied buffers, and deferred events. What an expiry means is
 * the connection's to decide; this only keeps the times.
 */
final class ConnectionTimers {
    /** What the single deadline slot means in the current state. */
    enum Deadline { NONE, RETRANSMIT, ZERO_WINDOW_PROBE, TIME_WAIT_EXPIRY, FIN_WAIT_2_EXPIRY }

    private final TimerQueue queue;
    private final TimerQueue.Timer timer;
    private Deadline deadlineKind = Deadline.NONE;
    private long deadlineAt = NEVER;
    private long ackAt = NEVER;
    private long releaseAt = NEVER;
    private long eventsAt = NEVER;

    /** {@code onTimer} runs when the earliest slot is due, with the current time. */
    ConnectionTimers(TimerQueue queue, LongConsumer onTimer) {
        this.queue = queue;
        this.timer = new TimerQueue.Timer(onTimer);
    }

    Deadline deadline() {
        return deadlineKind;
    }

    void setDeadline(Deadline kind, long at) {
        deadlineKind = kind;
        deadlineAt = at;
    }

    void clearDeadline() {
        deadlineKind = Deadline.NONE;
        deadlineAt = NEVER;
    }

    /** The deadline's meaning if it is due at {@code now}, cleared; {@link Deadline#NONE} if not due. */
    Deadline takeExpiredDeadline(long now) {
        if (deadlineAt > now) {
            return Deadline.NONE;
        }
        Deadline expired = deadlineKind;
        clearDeadline();
        return expired;
    }

    boolean ackDelayed() {
        return ackAt != NEVER;
    }

    void delayAck(long at) {
        ackAt = at;
    }

    /** Every segment acknowledges everything taken: no delayed ACK is owed any more. */
    void ackSent() {
        ackAt = NEVER;
    }

    boolean ackDue(long now) {
        return ackAt <= now;
    }

    boolean releaseArmed() {
        return releaseAt != NEVER;
    }

    void armRelease(long at) {
        releaseAt = at;
    }

    boolean releaseDue(long now) {
        return releaseAt <= now;
    }

    void disarmRelease() {
        releaseAt = NEVER;
    }

    /** Events wait for delivery from the timer at {@code at} (they arose outside a segment's handling). */
    void deferEvents(long at) {
        eventsAt = at;
    }

    /** Deferred events are being delivered at {@code now}. */
    void eventsDelivered(long now) {
        if (eventsAt <= now) {
            eventsAt = NEVER;
        }
    }

    /** Puts the entry in the queue at the earliest slot; a {@code closed} connection keeps only deferred events. */
    void reschedule(boolean closed) {
        long next = Math.min(Math.min(deadlineAt, ackAt), Math.min(releaseAt, eventsAt));
        if (closed) {
            next = eventsAt;
        }
        queue.schedule(timer, next);
    }

    /** The connection closed: nothing more is due but deferred events, and the entry leaves the queue. */
    void cancel() {
        clearDeadline();
        ackAt = NEVER;
        releaseAt = NEVER;
        queue.cancel(timer);
    }
}
