package dev.httptap.stack;

import static dev.httptap.stack.SeqNum.before;
import static dev.httptap.stack.SeqNum.inWindow;

import dev.httptap.wire.TcpFlags;
import dev.httptap.wire.TcpSegment;
import java.nio.ByteBuffer;

/**
 * The receiving half of a connection: which sequence numbers the child may send (RCV.NXT and the window
 * advertised), its bytes taken in order into the receive queue, a FIN held until the gap before it fills,
 * and the budget held for what the child may still send. It decides nothing about states or segments out;
 * {@link #take} says what a segment changed.
 */
final class TcpReceiver {
    /** {@link #take}: bytes became readable. */
    static final int READABLE = 1;
    /** {@link #take}: the child's FIN counted; RCV.NXT is past it. */
    static final int FIN = 2;
    /** {@link #take}: an ACK must go out at once (out-of-order or duplicate data, a filled gap, a FIN). */
    static final int ACK_NOW = 4;
    /** {@link #take}: the reassembly queue had no room for another gap; the segment was dropped. */
    static final int REASSEMBLY_FULL = 8;

    private final ReceiveQueue queue;
    private final ReceiveWindow window;
    /** The budget's share held for bytes from the child: those waiting to be read and the window promised. */
    private final BufferBudget.Account account;
    private int rcvNxt;
    private boolean finReceived;
    /** A FIN that arrived before a gap filled waits here: it counts once RCV.NXT reaches it. */
    private boolean finHeld;
    private int heldFinSequence;
    private int unacknowledgedBytes;
    private int largestSegment;

    /** {@code shift}: the window scale we announce (0 without scaling); {@code smallestSegment}: the ACK clock's start. */
    TcpReceiver(int bufferBytes, int shift, int irs, BufferBudget.Account account, int smallestSegment) {
        this.rcvNxt = irs + 1;
        this.window = new ReceiveWindow(bufferBytes, shift, rcvNxt);
        // Slack of one window unit: rounding the scaled window up never lets the child overrun the ring.
        this.queue = new ReceiveQueue(bufferBytes + (1 << shift));
        this.account = account;
        this.largestSegment = smallestSegment;
    }

    /** RCV.NXT. */
    int next() {
        return rcvNxt;
    }

    int shift() {
        return window.shift();
    }

    boolean finReceived() {
        return finReceived;
    }

    int readable() {
        return queue.readable();
    }

    int read(ByteBuffer dst) {
        return queue.read(dst);
    }

    /** After a read: whether the window has opened enough to be worth telling the child now. */
    boolean worthWindowUpdate() {
        return window.worthUpdating(rcvNxt, queue.readable(), largestSegment, account.limit());
    }

    /** RFC 9293 section 3.10.7.4, first check. */
    boolean isAcceptable(int seq, int length) {
        int remaining = window.remaining(rcvNxt);
        if (length == 0) {
            return remaining == 0 ? seq == rcvNxt : inWindow(seq, rcvNxt, remaining);
        }
        return remaining > 0 && (inWindow(seq, rcvNxt, remaining) || inWindow(seq + length - 1, rcvNxt, remaining));
    }

    /** An RST at {@code seq} that does not reset, but lies in the window: RFC 5961 section 3 challenges it. */
    boolean deservesChallenge(int seq) {
        return inWindow(seq, rcvNxt, Math.max(window.remaining(rcvNxt), 1));
    }

    /**
     * Takes the segment's in-window bytes and FIN; a FIN beyond a gap is held until the gap fills. Returns
     * the {@link #READABLE}, {@link #FIN}, {@link #ACK_NOW} and {@link #REASSEMBLY_FULL} bits that apply.
     */
    int take(TcpSegment segment) {
        int length = segment.payloadLength();
        boolean fin = segment.has(TcpFlags.FIN);
        if (finReceived || (length == 0 && !fin)) {
            return 0;
        }
        int seq = segment.sequence();
        int skip = before(seq, rcvNxt) ? Math.min(rcvNxt - seq, length) : 0;
        int offset = seq + skip - rcvNxt;
        int room = Math.min(window.remaining(rcvNxt), queue.roomAfter(0)) - offset;
        int take = Math.max(0, Math.min(length - skip, room));
        if (take < length - skip) {
            fin = false; // The FIN lies beyond the window; the child will send it again.
        }
        if (fin) {
            finHeld = true;
            heldFinSequence = seq + length;
        }
        int result = take == 0 && length > 0 || offset > 0 || queue.hasGaps() ? ACK_NOW : 0;
        if (take > 0) {
            int advanced = queue.accept(offset, segment.buffer(), segment.payloadOffset() + skip, take);
            if (advanced == Reassembly.FULL) {
                return REASSEMBLY_FULL | ACK_NOW;
            }
            if (advanced > 0) {
                rcvNxt += advanced;
                unacknowledgedBytes += advanced;
                largestSegment = Math.max(largestSegment, take);
                result |= READABLE;
            }
        }
        if (finHeld && heldFinSequence == rcvNxt) {
            finHeld = false;
            rcvNxt++;
            finReceived = true;
            return result | READABLE | FIN | ACK_NOW;
        }
        return queue.hasGaps() || finHeld ? result | ACK_NOW : result; // a held FIN is out-of-order news too
    }

    /** Enough has arrived since the last ACK that the next should not be delayed (two full segments). */
    boolean owesAckNow() {
        return unacknowledgedBytes >= 2 * largestSegment;
    }

    boolean owesAck() {
        return unacknowledgedBytes > 0;
    }

    /** The window field of a segment to the child, which acknowledges everything taken so far. */
    int windowForSegment() {
        int advertised = window.advertise(rcvNxt, queue.readable(), account.limit());
        unacknowledgedBytes = 0;
        return advertised;
    }

    /** The window field of the SYN-ACK, which is never scaled (RFC 7323 section 2.2). */
    int windowForSynAck() {
        return window.advertiseUnscaled(rcvNxt, account.limit());
    }

    /**
     * Holds in the budget what the child may have in the receive queue: what waits there and the rest of the
     * window promised, as the child may fill that at any time; nothing once {@code closed}.
     */
    void charge(boolean closed) {
        account.hold(closed ? 0 : queue.readable() + window.remaining(rcvNxt));
    }

    void releaseIfEmpty() {
        queue.releaseIfEmpty();
    }

    int allocated() {
        return queue.allocated();
    }
}
