package dev.httptap.stack;

import static dev.httptap.stack.SeqNum.before;

/**
 * The window we advertise to the child: the free space of the receive buffer, expressed in units of
 * 2^shift (RFC 7323). The buffer is the smaller of its own size and the {@code limit} the memory budget
 * allows the connection now (see {@link BufferBudget}). It remembers the right edge it last promised, because moving that edge left would
 * put bytes the child already sent outside the window (RFC 9293 section 3.8.6.2.2).
 */
final class ReceiveWindow {
    private static final int MAX_FIELD = 0xFFFF;

    private final int bufferBytes;
    private final int shift;
    private int rightEdge;

    ReceiveWindow(int bufferBytes, int shift, int rcvNxt) {
        this.bufferBytes = bufferBytes;
        this.shift = shift;
        this.rightEdge = rcvNxt;
    }

    /** The smallest shift that lets a 16-bit window field cover the whole buffer. */
    static int shiftFor(int bufferBytes) {
        int shift = 0;
        while (shift < 14 && ((long) MAX_FIELD << shift) < bufferBytes) {
            shift++;
        }
        return shift;
    }

    int shift() {
        return shift;
    }

    /** RCV.WND: how far past {@code rcvNxt} the child may send, as last advertised. */
    int remaining(int rcvNxt) {
        return Math.max(0, rightEdge - rcvNxt);
    }

    /** The window of a SYN-ACK, which is never scaled. */
    int advertiseUnscaled(int rcvNxt, int limit) {
        int window = Math.min(Math.min(bufferBytes, limit), MAX_FIELD);
        rightEdge = rcvNxt + window;
        return window;
    }

    /**
     * The window field for the next segment, given the bytes waiting to be read; records the promise.
     * Rounding down could pull the edge left, so the field is rounded up to keep the promise, but never
     * past one unit beyond the free space: rounding up every time would otherwise creep the edge further
     * out with each segment. Within that unit the window may shrink, which RFC 7323 section 2.4 allows.
     */
    int advertise(int rcvNxt, int readable, int limit) {
        int free = Math.max(0, Math.min(bufferBytes, limit) - readable);
        int field = Math.min(free >>> shift, MAX_FIELD);
        if (before(rcvNxt + (field << shift), rightEdge)) {
            int promised = rightEdge - rcvNxt;
            field = Math.min(Math.min(unitsRoundedUp(promised), unitsRoundedUp(free)), MAX_FIELD);
        }
        rightEdge = rcvNxt + (field << shift);
        return field;
    }

    private int unitsRoundedUp(int bytes) {
        return (int) (((long) bytes + (1 << shift) - 1) >>> shift);
    }

    /**
     * Receiver-side silly window avoidance (RFC 9293 section 3.8.6.2.2): a reopened window is worth an
     * update once it grew by a full segment or half the buffer.
     */
    boolean worthUpdating(int rcvNxt, int readable, int segmentSize, int limit) {
        int buffer = Math.min(bufferBytes, limit);
        int growth = (buffer - readable) - remaining(rcvNxt);
        return growth >= Math.min(segmentSize, buffer / 2);
    }
}
