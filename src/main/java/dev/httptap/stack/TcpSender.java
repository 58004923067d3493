package dev.httptap.stack;

import static dev.httptap.stack.SeqNum.after;
import static dev.httptap.stack.SeqNum.afterOrEqual;
import static dev.httptap.stack.SeqNum.before;
import static dev.httptap.stack.SeqNum.beforeOrEqual;

import dev.httptap.log.Log;
import dev.httptap.wire.TcpFlags;
import dev.httptap.wire.TcpSegment;
import java.nio.ByteBuffer;

/**
 * The sending half of a connection: the bytes queued towards the child and the sequence space they take
 * (SND.UNA, SND.NXT, {@code sndMax}, the child's window SND.WND), which of them go out when (the child's
 * window, the congestion window after a loss, a cork), and what ACKs do: round-trip samples (one segment
 * timed at a time, never a retransmitted one), fast retransmit with NewReno recovery, go-back-N after a
 * timeout. Segments leave through {@link Segments}; states and timers are the connection's.
 *
 * <p>{@code sndMax} is the highest sequence number sent, which differs from SND.NXT after a retransmission
 * timeout rewinds SND.NXT.
 */
final class TcpSender {
    /** Sends one segment to the child: {@code dataLength} queued bytes from {@code dataOffset} past SND.UNA. */
    @FunctionalInterface
    interface Segments {
        void send(int seq, int flags, int dataOffset, int dataLength);
    }

    /** {@link #onAck}: the ACK acknowledges sequence numbers never sent; the segment must be dropped. */
    static final int UNSENT_ACKED = -1;
    /** {@link #onAck}: SND.UNA moved on. */
    static final int NEW_ACK = 1;
    /** {@link #onAck}: everything sent is acknowledged. */
    static final int ALL_ACKED = 2;
    /** {@link #onAck}: the queue emptied. */
    static final int QUEUE_EMPTIED = 4;
    /** {@link #onAck}: a writer found the queue full before, and now there is room. */
    static final int ROOM_FOR_WRITER = 8;
    /** {@link #onAck}: our FIN is acknowledged. */
    static final int FIN_ACKED = 16;

    private static final int DUPLICATE_ACK_THRESHOLD = 3;
    private static final int MAX_CONGESTION_WINDOW = 1 << 30;

    private final SendQueue queue;
    /** The budget's share held for bytes towards the child not acknowledged yet. */
    private final BufferBudget.Account account;
    private final RttEstimator rtt = new RttEstimator();
    private final Segments segments;
    private final ConnectionKey key;
    private final int iss;
    private final int shift;
    private final int mss;
    private int sndUna;
    private int sndNxt;
    private int sndMax;
    private int sndWnd;
    private int sndWl1;
    private int sndWl2;
    private int congestionWindow = MAX_CONGESTION_WINDOW;
    private boolean finQueued;
    private int duplicateAcks;
    private boolean inRecovery;
    private int recoveryPoint;
    private boolean writeBlocked;
    /** Segments shorter than the MSS wait for {@link #uncork}. */
    private boolean corked;
    private boolean timing;
    private int timedSequence;
    private long timedAt;

    /**
     * {@code window}, {@code irs}: the SYN's window and sequence number; {@code shift}: the child's window
     * scale (0 without scaling); {@code mss}: the largest payload of a segment to the child.
     */
    TcpSender(int bufferBytes, BufferBudget.Account account, Segments segments, ConnectionKey key, int iss,
            int irs, int window, int shift, int mss) {
        this.queue = new SendQueue(bufferBytes);
        this.account = account;
        this.segments = segments;
        this.key = key;
        this.iss = iss;
        this.shift = shift;
        this.mss = mss;
        this.sndUna = iss;
        this.sndNxt = iss + 1;
        this.sndMax = iss + 1;
        this.sndWnd = window;
        this.sndWl1 = irs;
        this.sndWl2 = iss;
    }

    /** SND.NXT: the sequence number of a bare ACK. */
    int next() {
        return sndNxt;
    }

    /** SND.UNA. */
    int unacknowledged() {
        return sndUna;
    }

    /** The highest sequence number sent: where an RST must be to be accepted. */
    int highestSent() {
        return sndMax;
    }

    long timeout() {
        return rtt.timeout();
    }

    boolean finQueued() {
        return finQueued;
    }

    // ---------------------------------------------------------------- the forwarder's side

    /** Queues what room allows of {@code src}; returns how many bytes were taken. */
    int write(ByteBuffer src) {
        int count = queue.write(src, room());
        if (src.hasRemaining()) {
            writeBlocked = true;
        }
        account.hold(queue.size());
        return count;
    }

    /** Room in the queue that the memory budget allows now. */
    int room() {
        return Math.max(0, Math.min(queue.free(), account.limit() - queue.size()));
    }

    /** A writer found no room: {@link #ROOM_FOR_WRITER} tells when there is some again. */
    void waitForRoom() {
        writeBlocked = true;
    }

    void cork() {
        corked = true;
    }

    /** Returns true if it was corked: what waited may go now. */
    boolean uncork() {
        boolean was = corked;
        corked = false;
        return was;
    }

    /** The FIN goes after the queued bytes. */
    void queueFin() {
        finQueued = true;
    }

    // ---------------------------------------------------------------- segments out

    /** The SYN-ACK went out for the first time: its ACK gives the first round-trip sample. */
    void timeSynAck(long now) {
        startTiming(iss + 1, now);
    }

    /**
     * Sends whatever the child's window (and the congestion window after a loss) allows, then the FIN.
     * Returns true if a segment went out.
     */
    boolean transmit(long now) {
        boolean sent = false;
        while (true) {
            int offset = sndNxt - sndUna;
            int queued = queue.size();
            if (offset > queued) {
                break; // The FIN is already out.
            }
            int usable = Math.min(sndWnd, congestionWindow) - offset;
            int length = Math.max(0, Math.min(Math.min(queued - offset, mss), usable));
            boolean fin = finQueued && offset + length == queued;
            if (length == 0 && !fin || corked && length < mss && !fin) {
                break;
            }
            boolean last = offset + length == queued;
            int flags = TcpFlags.ACK | (length > 0 && last ? TcpFlags.PSH : 0) | (fin ? TcpFlags.FIN : 0);
            if (length > 0 && !timing && sndNxt == sndMax) {
                startTiming(sndNxt + length, now);
            }
            segments.send(sndNxt, flags, offset, length);
            sent = true;
            sndNxt += length + (fin ? 1 : 0);
            if (after(sndNxt, sndMax)) {
                sndMax = sndNxt;
            }
            if (fin) {
                break;
            }
        }
        return sent;
    }

    /** The child's window is closed while bytes wait and nothing is outstanding: only a probe can reopen it. */
    boolean awaitsWindow() {
        return sndWnd == 0 && sndUna == sndMax && queue.size() > 0;
    }

    boolean windowOpen() {
        return sndWnd > 0;
    }

    /** A retransmission timeout: the timer backs off, and the segment timed is not sampled. */
    void backOff() {
        rtt.backOff();
        timing = false;
    }

    /**
     * The {@code attempt}th timeout (not in the handshake): slow start again from SND.UNA, the rest following
     * as ACKs return.
     */
    void goBackN(int attempt) {
        Log.verbose("tcp %s: retransmission timeout #%d at %s", key, attempt, SeqNum.toString(sndUna));
        duplicateAcks = 0;
        inRecovery = false;
        congestionWindow = mss;
        sndNxt = sndUna + retransmitHead();
    }

    /** Resends the first unacknowledged segment (and the FIN if it fits); returns the sequence space sent. */
    private int retransmitHead() {
        int outstanding = sndMax - sndUna;
        int queued = queue.size();
        int length = Math.min(Math.min(outstanding, queued), mss);
        boolean fin = finQueued && length == queued && outstanding > queued;
        int flags = TcpFlags.ACK | (length > 0 ? TcpFlags.PSH : 0) | (fin ? TcpFlags.FIN : 0);
        segments.send(sndUna, flags, 0, length);
        return length + (fin ? 1 : 0);
    }

    private void fastRetransmit() {
        Log.verbose("tcp %s: fast retransmit at %s", key, SeqNum.toString(sndUna));
        timing = false;
        inRecovery = true;
        recoveryPoint = sndMax;
        retransmitHead();
    }

    // ---------------------------------------------------------------- ACKs in

    /** The ACK of our SYN-ACK (its number already checked): the child's window, and the first sample. */
    void onHandshakeAck(TcpSegment segment, long now) {
        int ack = segment.acknowledgment();
        sndUna = ack;
        sndWnd = segment.window() << shift;
        sndWl1 = segment.sequence();
        sndWl2 = ack;
        sampleIfTimed(ack, now);
        rtt.clearBackoff();
    }

    /**
     * Takes the segment's ACK and window (RFC 9293 section 3.10.7.4, fifth check); duplicate ACKs trigger a
     * fast retransmit. Returns {@link #UNSENT_ACKED}, or the bits of {@link #NEW_ACK} and what follows it.
     */
    int onAck(TcpSegment segment, long now) {
        int ack = segment.acknowledgment();
        int seq = segment.sequence();
        if (after(ack, sndMax)) {
            return UNSENT_ACKED;
        }
        boolean windowChanged = false;
        if (before(sndWl1, seq) || (sndWl1 == seq && beforeOrEqual(sndWl2, ack))) {
            int window = segment.window() << shift;
            windowChanged = window != sndWnd;
            sndWnd = window;
            sndWl1 = seq;
            sndWl2 = ack;
        }
        if (after(ack, sndUna)) {
            return onNewAck(ack, now);
        }
        if (ack == sndUna && sndMax != sndUna && segment.payloadLength() == 0 && !segment.has(TcpFlags.FIN)
                && !windowChanged && ++duplicateAcks == DUPLICATE_ACK_THRESHOLD) {
            fastRetransmit();
        }
        return 0;
    }

    private int onNewAck(int ack, long now) {
        int acked = ack - sndUna;
        int dataAcked = Math.min(acked, queue.size());
        int result = NEW_ACK;
        if (finQueued && acked > dataAcked) {
            result |= FIN_ACKED;
        }
        queue.acknowledge(dataAcked);
        account.hold(queue.size());
        sndUna = ack;
        if (before(sndNxt, sndUna)) {
            sndNxt = sndUna;
        }
        sampleIfTimed(ack, now);
        rtt.clearBackoff();
        congestionWindow = (int) Math.min(MAX_CONGESTION_WINDOW, (long) congestionWindow + acked);
        duplicateAcks = 0;
        if (inRecovery) {
            if (before(ack, recoveryPoint)) {
                retransmitHead(); // NewReno partial ACK: the next hole is lost too.
            } else {
                inRecovery = false;
            }
        }
        if (sndUna == sndMax) {
            result |= ALL_ACKED;
        }
        if (dataAcked > 0 && queue.size() == 0) {
            result |= QUEUE_EMPTIED;
        }
        if (writeBlocked && dataAcked > 0) {
            writeBlocked = false;
            result |= ROOM_FOR_WRITER;
        }
        return result;
    }

    private void startTiming(int sequence, long now) {
        timing = true;
        timedSequence = sequence;
        timedAt = now;
    }

    private void sampleIfTimed(int ack, long now) {
        if (timing && afterOrEqual(ack, timedSequence)) {
            rtt.sample(now - timedAt);
            timing = false;
        }
    }

    // ---------------------------------------------------------------- memory

    void releaseIfEmpty() {
        queue.releaseIfEmpty();
    }

    /** The connection is gone: its bytes no longer count against the budget. */
    void releaseBudget() {
        account.hold(0);
    }

    int allocated() {
        return queue.allocated();
    }

    /** The queued bytes, for a segment's payload. */
    SendQueue queue() {
        return queue;
    }
}
