package dev.httptap.stack;

import static dev.httptap.stack.SeqNum.after;
import static dev.httptap.stack.SeqNum.afterOrEqual;
import static dev.httptap.stack.SeqNum.before;
import static dev.httptap.stack.SeqNum.beforeOrEqual;
import static dev.httptap.stack.SeqNum.inWindow;
import static dev.httptap.stack.TimerQueue.NEVER;

import dev.httptap.log.Log;
import dev.httptap.wire.IpVersion;
import dev.httptap.wire.TcpFlags;
import dev.httptap.wire.TcpHeader;
import dev.httptap.wire.TcpOptions;
import dev.httptap.wire.TcpSegment;
import java.nio.ByteBuffer;

/**
 * One accepted TCP connection, as the server the child thinks it is talking to (RFC 9293). Segments
 * from the child arrive in {@link #onSegment}; the forwarder uses the {@link TcpConnection} methods;
 * timers arrive in {@link #onTimer}. Listener events are collected while the state changes and delivered
 * afterwards by {@link #deliverEvents}, so a listener always sees a consistent connection.
 *
 * <p>Names follow the RFC: SND.UNA, SND.NXT, RCV.NXT ... {@code sndMax} is the highest sequence number sent,
 * which differs from SND.NXT after a retransmission timeout rewinds SND.NXT (go-back-N).
 */
final class TcpConnectionImpl implements TcpConnection {
    private static final int MAX_RETRANSMISSIONS = 8;
    private static final int MAX_SYN_ACK_RETRANSMISSIONS = 5;
    private static final int DUPLICATE_ACK_THRESHOLD = 3;
    private static final int DEFAULT_PEER_MSS = 536;
    /** Linux's floor (tcp_min_snd_mss is 48): an absurdly small MSS option must not stall sending. */
    private static final int MIN_SEND_MSS = 48;
    private static final int TIMESTAMPS_SPACE = 12;
    private static final int MAX_CONGESTION_WINDOW = 1 << 30;
    private static final long DELAYED_ACK_NANOS = 10_000_000L;
    /** Twice a maximum segment lifetime of one second: the child is local, nothing lingers longer. */
    static final long TIME_WAIT_NANOS = 2_000_000_000L;
    private static final long MAX_PROBE_INTERVAL_NANOS = 5_000_000_000L;
    /**
     * How long FIN-WAIT-2 may stay silent: the forwarder finished, the child acknowledged, and if the child
     * then neither sends nor closes for this long it is presumed gone (Linux's tcp_fin_timeout is 60 s, but
     * counted from the close, not from the last segment as here, which suits a half-close still in use).
     */
    static final long FIN_WAIT_2_NANOS = 60_000_000_000L;
    /** How long an emptied queue keeps its buffer, so bulk transfers do not reallocate at every drain. */
    static final long IDLE_RELEASE_NANOS = 1_000_000_000L;

    /** What the single retransmission-slot deadline means in the current state. */
    private enum Deadline { NONE, RETRANSMIT, ZERO_WINDOW_PROBE, TIME_WAIT_EXPIRY, FIN_WAIT_2_EXPIRY }

    private final TcpLayer layer;
    private final ConnectionKey key;
    private final FlowId flow;
    private final Listener listener;
    private final TimerQueue.Timer timer = new TimerQueue.Timer(this::onTimer);
    private final RttEstimator rtt = new RttEstimator();
    private final SendQueue sendQueue;
    private final ReceiveQueue receiveQueue;
    private final ReceiveWindow receiveWindow;
    /** The budget's share held for bytes from the child: those waiting to be read and the window promised. */
    private final BufferBudget.Account receiveAccount;
    /** The budget's share held for bytes towards the child not acknowledged yet. */
    private final BufferBudget.Account sendAccount;
    private TcpState state;

    // Send side.
    private final int iss;
    private int sndUna;
    private int sndNxt;
    private int sndMax;
    private int sndWnd;
    private int sndWl1;
    private int sndWl2;
    private final int sndShift;
    private final int sendMss;
    private int congestionWindow = MAX_CONGESTION_WINDOW;
    private boolean finQueued;
    private int duplicateAcks;
    private boolean inRecovery;
    private int recoveryPoint;
    private boolean writeBlocked;
    /** Segments shorter than the MSS wait for {@link #uncork}. */
    private boolean corked;

    // Receive side.
    /** Window scaling is on only if the child offered it (RFC 7323 section 2.2). */
    private final boolean windowScaling;
    private final int irs;
    private int rcvNxt;
    private boolean finReceived;
    /** A FIN that arrived before a gap filled waits here: it counts once RCV.NXT reaches it. */
    private boolean finHeld;
    private int heldFinSequence;
    private int unacknowledgedBytes;
    private int largestSegment = DEFAULT_PEER_MSS;

    // Timestamps (RFC 7323).
    private final boolean timestamps;
    private final int timestampOffset;
    private int tsRecent;

    // Timers: one slot for retransmission/probe/TIME-WAIT/FIN-WAIT-2, one for the delayed ACK, one for
    // releasing emptied buffers, one for deferred events.
    private Deadline deadlineKind = Deadline.NONE;
    private long deadlineAt = NEVER;
    private long ackAt = NEVER;
    private long releaseAt = NEVER;
    private long eventsAt = NEVER;
    private int retransmissions;
    private long probeInterval;
    private boolean timing;
    private int timedSequence;
    private long timedAt;

    // Listener events waiting for delivery.
    private boolean readablePending;
    private boolean writablePending;
    private boolean resetPending;
    private boolean closedPending;

    TcpConnectionImpl(TcpLayer layer, ConnectionKey key, FlowId flow, Listener listener, int iss, SynRequest syn) {
        this.layer = layer;
        this.key = key;
        this.flow = flow;
        this.listener = listener;
        StackConfig config = layer.config();
        TcpOptions offered = syn.options();
        this.windowScaling = offered.windowScale() != TcpOptions.NO_WINDOW_SCALE;
        this.sndShift = windowScaling ? Math.min(offered.windowScale(), TcpOptions.MAX_WINDOW_SCALE) : 0;
        this.timestamps = offered.timestamps();
        this.tsRecent = offered.timestampValue();
        this.timestampOffset = iss;
        // An MSS of 0 is taken as no MSS, as Linux does.
        int peerMss = offered.mss() > 0 ? offered.mss() : DEFAULT_PEER_MSS;
        int optionSpace = timestamps ? TIMESTAMPS_SPACE : 0;
        int ourMss = ourMss(config, key.server().version());
        this.sendMss = Math.max(MIN_SEND_MSS, Math.min(peerMss, ourMss) - optionSpace);
        this.irs = syn.sequence();
        this.rcvNxt = irs + 1;
        int rcvShift = windowScaling ? ReceiveWindow.shiftFor(config.receiveBufferBytes()) : 0;
        this.receiveWindow = new ReceiveWindow(config.receiveBufferBytes(), rcvShift, rcvNxt);
        // Slack of one window unit: rounding the scaled window up never lets the child overrun the ring.
        this.receiveQueue = new ReceiveQueue(config.receiveBufferBytes() + (1 << rcvShift));
        this.sendQueue = new SendQueue(config.sendBufferBytes());
        this.receiveAccount = layer.budget().account();
        this.sendAccount = layer.budget().account();
        this.iss = iss;
        this.sndUna = iss;
        this.sndNxt = iss + 1;
        this.sndMax = iss + 1;
        this.sndWnd = syn.window();
        this.sndWl1 = syn.sequence();
        this.sndWl2 = iss;
        this.state = TcpState.SYN_RECEIVED;
    }

    /** A connection for a request the child withdrew (RST) before the forwarder accepted it. */
    static TcpConnectionImpl withdrawn(TcpLayer layer, ConnectionKey key, FlowId flow, Listener listener) {
        TcpConnectionImpl connection = new TcpConnectionImpl(layer, key, flow, listener, 0,
                new SynRequest(0, 0, TcpOptions.NONE));
        connection.state = TcpState.CLOSED;
        connection.resetPending = true;
        connection.eventsAt = layer.clock().nanoTime();
        connection.reschedule();
        return connection;
    }

    static int ourMss(StackConfig config, IpVersion version) {
        return config.mtu() - version.headerLength() - TcpSegment.MIN_HEADER_LENGTH;
    }

    ConnectionKey key() {
        return key;
    }

    TcpState state() {
        return state;
    }

    /**
     * Buffer memory held now. Bounded by the two queues' capacities (receive buffer plus one window unit,
     * send buffer: about 1 MiB with the defaults); back to 0 within {@link #IDLE_RELEASE_NANOS} once both
     * queues are empty.
     */
    int bufferedBytes() {
        return receiveQueue.allocated() + sendQueue.allocated();
    }

    // ---------------------------------------------------------------- the forwarder's side

    @Override
    public FlowId flow() {
        return flow;
    }

    @Override
    public int read(ByteBuffer dst) {
        int count = receiveQueue.read(dst);
        if (count > 0 && !finReceived && state.receivesData() && receiveWindow.worthUpdating(rcvNxt,
                receiveQueue.readable(), largestSegment, receiveAccount.limit())) {
            sendAck();
            reschedule();
        }
        chargeReceived();
        if (count > 0 && receiveQueue.readable() == 0) {
            scheduleRelease();
        }
        return count;
    }

    @Override
    public int readable() {
        return receiveQueue.readable();
    }

    @Override
    public boolean isInputFinished() {
        return finReceived && receiveQueue.readable() == 0;
    }

    @Override
    public int write(ByteBuffer src) {
        if (!acceptsWrites()) {
            return 0;
        }
        int count = sendQueue.write(src, sendRoom());
        if (src.hasRemaining()) {
            writeBlocked = true;
        }
        sendAccount.hold(sendQueue.size());
        if (count > 0) {
            transmit();
            reschedule();
        }
        return count;
    }

    @Override
    public int writable() {
        int free = acceptsWrites() ? sendRoom() : 0;
        if (free == 0) {
            writeBlocked = true;
        }
        return free;
    }

    @Override
    public void cork() {
        corked = true;
    }

    @Override
    public void uncork() {
        if (corked) {
            corked = false;
            if (state.sendsData()) {
                transmit();
                reschedule();
            }
        }
    }

    @Override
    public void shutdownOutput() {
        if (!acceptsWrites()) {
            return;
        }
        finQueued = true;
        if (state == TcpState.ESTABLISHED) {
            state = TcpState.FIN_WAIT_1;
        } else if (state == TcpState.CLOSE_WAIT) {
            state = TcpState.LAST_ACK;
        }
        transmit();
        reschedule();
    }

    @Override
    public void abort() {
        if (state == TcpState.CLOSED) {
            return;
        }
        if (state != TcpState.TIME_WAIT) {
            layer.sendReset(key, sndMax, rcvNxt, TcpFlags.RST | TcpFlags.ACK);
        }
        readablePending = writablePending = resetPending = closedPending = false;
        close();
    }

    /** Room in the send queue that the memory budget allows now. */
    private int sendRoom() {
        return Math.max(0, Math.min(sendQueue.free(), sendAccount.limit() - sendQueue.size()));
    }

    /**
     * Holds in the budget what the child may have in the receive queue: what waits there and the rest of the
     * window promised, as the child may fill that at any time. Nothing once the connection is closed.
     */
    private void chargeReceived() {
        receiveAccount.hold(state == TcpState.CLOSED ? 0 : receiveQueue.readable() + receiveWindow.remaining(rcvNxt));
    }

    private boolean acceptsWrites() {
        return !finQueued && (state == TcpState.SYN_RECEIVED || state == TcpState.ESTABLISHED
                || state == TcpState.CLOSE_WAIT);
    }

    // ---------------------------------------------------------------- segments from the child

    void sendSynAck() {
        TcpOptions options = new TcpOptions(ourMss(layer.config(), key.server().version()),
                windowScaling ? receiveWindow.shift() : TcpOptions.NO_WINDOW_SCALE, false, timestamps, timestampNow(),
                tsRecent);
        int window = receiveWindow.advertiseUnscaled(rcvNxt, receiveAccount.limit());
        chargeReceived();
        TcpHeader header = new TcpHeader(key.serverPort(), key.clientPort(), iss, rcvNxt,
                TcpFlags.SYN | TcpFlags.ACK, window, options);
        layer.writer().sendTcp(key.server(), key.client(), header, null, 0, 0);
        if (retransmissions == 0) {
            startTiming(iss + 1);
        }
        setDeadline(Deadline.RETRANSMIT, now() + rtt.timeout());
        reschedule();
    }

    /**
     * True for a new SYN, above everything received, on a 4-tuple in TIME-WAIT: as in Linux, the old
     * connection gives way so that a quickly reused port does not stall (RFC 6191's idea, by sequence).
     */
    boolean yieldsToNewSyn(TcpSegment segment) {
        return state == TcpState.TIME_WAIT
                && (segment.flags() & (TcpFlags.SYN | TcpFlags.ACK | TcpFlags.RST)) == TcpFlags.SYN
                && after(segment.sequence(), rcvNxt);
    }

    /** Ends TIME-WAIT early; the connection closed normally. */
    void endTimeWait() {
        closedPending = true;
        close();
    }

    void onSegment(TcpSegment segment) {
        if (state == TcpState.CLOSED) {
            return;
        }
        handleSegment(segment);
        if (state == TcpState.FIN_WAIT_2) {
            setDeadline(Deadline.FIN_WAIT_2_EXPIRY, now() + FIN_WAIT_2_NANOS); // any segment shows life
        }
        reschedule();
    }

    private void handleSegment(TcpSegment segment) {
        int flags = segment.flags();
        int seq = segment.sequence();
        if (state == TcpState.SYN_RECEIVED && (flags & (TcpFlags.SYN | TcpFlags.RST)) == TcpFlags.SYN) {
            if (seq == irs) {
                layer.counters().drop(DropReason.TCP_SYN_RETRANSMITTED);
                sendSynAck();
            }
            return;
        }
        if ((flags & TcpFlags.RST) != 0) {
            onReset(seq);
            return;
        }
        if ((flags & TcpFlags.SYN) != 0) {
            sendAck(); // RFC 5961 section 4: a SYN on a synchronized connection gets a challenge ACK.
            return;
        }
        if (!isAcceptable(seq, segment.sequenceLength())) {
            layer.counters().drop(DropReason.TCP_UNACCEPTABLE);
            if (state == TcpState.TIME_WAIT && (flags & TcpFlags.FIN) != 0) {
                setDeadline(Deadline.TIME_WAIT_EXPIRY, now() + TIME_WAIT_NANOS);
            }
            sendAck(); // Also the answer to keep-alive probes, which repeat the last byte.
            return;
        }
        if ((flags & TcpFlags.ACK) == 0) {
            layer.counters().drop(DropReason.TCP_NO_ACK);
            return;
        }
        if (timestamps && segment.options().timestamps() && beforeOrEqual(seq, rcvNxt)) {
            tsRecent = segment.options().timestampValue();
        }
        if (state == TcpState.SYN_RECEIVED && !establish(segment)) {
            return;
        }
        if (!processAck(segment) || state == TcpState.CLOSED) {
            return;
        }
        boolean ackNow = processData(segment);
        transmit();
        if (ackNow) {
            sendAck();
        } else if (unacknowledgedBytes >= 2 * largestSegment) {
            sendAck();
        } else if (unacknowledgedBytes > 0 && ackAt == NEVER) {
            ackAt = now() + DELAYED_ACK_NANOS;
        }
    }

    /** RFC 5961 section 3: only an RST at exactly RCV.NXT resets; one elsewhere in the window is challenged. */
    private void onReset(int seq) {
        if (seq == rcvNxt && state != TcpState.TIME_WAIT) {
            Log.verbose("tcp %s: reset by the child", key);
            readablePending = writablePending = closedPending = false;
            resetPending = true;
            close();
            return;
        }
        layer.counters().drop(DropReason.TCP_INVALID_RST);
        if (inWindow(seq, rcvNxt, Math.max(receiveWindow.remaining(rcvNxt), 1))) {
            sendAck();
        }
    }

    /** RFC 9293 section 3.10.7.4, first check. */
    private boolean isAcceptable(int seq, int length) {
        int window = receiveWindow.remaining(rcvNxt);
        if (length == 0) {
            return window == 0 ? seq == rcvNxt : inWindow(seq, rcvNxt, window);
        }
        return window > 0 && (inWindow(seq, rcvNxt, window) || inWindow(seq + length - 1, rcvNxt, window));
    }

    /** The ACK of our SYN-ACK completes the handshake; anything else is answered with RST. */
    private boolean establish(TcpSegment segment) {
        int ack = segment.acknowledgment();
        if (ack != iss + 1) {
            layer.counters().drop(DropReason.TCP_BAD_ACK);
            layer.sendReset(key, ack, 0, TcpFlags.RST);
            return false;
        }
        state = finQueued ? TcpState.FIN_WAIT_1 : TcpState.ESTABLISHED;
        sndUna = ack;
        sndWnd = segment.window() << sndShift;
        sndWl1 = segment.sequence();
        sndWl2 = ack;
        if (timing) {
            rtt.sample(now() - timedAt);
            timing = false;
        }
        retransmissions = 0;
        rtt.clearBackoff();
        clearDeadline();
        Log.verbose("tcp %s: established", key);
        return true;
    }

    /** Returns false when the segment must be dropped (it acknowledges data never sent). */
    private boolean processAck(TcpSegment segment) {
        int ack = segment.acknowledgment();
        int seq = segment.sequence();
        if (after(ack, sndMax)) {
            layer.counters().drop(DropReason.TCP_BAD_ACK);
            sendAck();
            return false;
        }
        boolean windowChanged = false;
        if (before(sndWl1, seq) || (sndWl1 == seq && beforeOrEqual(sndWl2, ack))) {
            int window = segment.window() << sndShift;
            windowChanged = window != sndWnd;
            sndWnd = window;
            sndWl1 = seq;
            sndWl2 = ack;
        }
        if (after(ack, sndUna)) {
            onNewAck(ack);
        } else if (ack == sndUna && sndMax != sndUna && segment.payloadLength() == 0
                && !segment.has(TcpFlags.FIN) && !windowChanged) {
            if (++duplicateAcks == DUPLICATE_ACK_THRESHOLD) {
                fastRetransmit();
            }
        }
        if (sndWnd > 0 && deadlineKind == Deadline.ZERO_WINDOW_PROBE) {
            clearDeadline();
        }
        return true;
    }

    private void onNewAck(int ack) {
        int acked = ack - sndUna;
        int dataAcked = Math.min(acked, sendQueue.size());
        boolean finAcked = finQueued && acked > dataAcked;
        sendQueue.acknowledge(dataAcked);
        sendAccount.hold(sendQueue.size());
        sndUna = ack;
        if (before(sndNxt, sndUna)) {
            sndNxt = sndUna;
        }
        if (timing && afterOrEqual(ack, timedSequence)) {
            rtt.sample(now() - timedAt);
            timing = false;
        }
        rtt.clearBackoff();
        retransmissions = 0;
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
            clearDeadline();
        } else {
            setDeadline(Deadline.RETRANSMIT, now() + rtt.timeout());
        }
        if (dataAcked > 0 && sendQueue.size() == 0) {
            scheduleRelease();
        }
        if (writeBlocked && dataAcked > 0) {
            writeBlocked = false;
            writablePending = true;
        }
        if (finAcked) {
            onFinAcknowledged();
        }
    }

    private void onFinAcknowledged() {
        switch (state) {
            case FIN_WAIT_1 -> state = TcpState.FIN_WAIT_2;
            case CLOSING -> enterTimeWait();
            case LAST_ACK -> {
                closedPending = true;
                close();
            }
            default -> { }
        }
    }

    /**
     * Takes the segment's in-window bytes and FIN; a FIN beyond a gap is held until the gap fills. Returns
     * true when an ACK must go out at once: out-of-order or duplicate data, a filled gap, or a FIN.
     */
    private boolean processData(TcpSegment segment) {
        int length = segment.payloadLength();
        boolean fin = segment.has(TcpFlags.FIN);
        if (finReceived || (length == 0 && !fin)) {
            return false;
        }
        int seq = segment.sequence();
        int skip = before(seq, rcvNxt) ? Math.min(rcvNxt - seq, length) : 0;
        int offset = seq + skip - rcvNxt;
        int room = Math.min(receiveWindow.remaining(rcvNxt), receiveQueue.roomAfter(0)) - offset;
        int take = Math.max(0, Math.min(length - skip, room));
        if (take < length - skip) {
            fin = false; // The FIN lies beyond the window; the child will send it again.
        }
        if (fin) {
            finHeld = true;
            heldFinSequence = seq + length;
        }
        boolean ackNow = take == 0 && length > 0 || offset > 0 || receiveQueue.hasGaps();
        if (take > 0) {
            int advanced = receiveQueue.accept(offset, segment.buffer(), segment.payloadOffset() + skip, take);
            if (advanced == Reassembly.FULL) {
                layer.counters().drop(DropReason.TCP_REASSEMBLY_FULL);
                return true;
            }
            if (advanced > 0) {
                rcvNxt += advanced;
                unacknowledgedBytes += advanced;
                largestSegment = Math.max(largestSegment, take);
                readablePending = true;
            }
        }
        if (finHeld && heldFinSequence == rcvNxt) {
            finHeld = false;
            rcvNxt++;
            finReceived = true;
            readablePending = true;
            onFinReceived();
            return true;
        }
        return ackNow || receiveQueue.hasGaps() || finHeld; // a held FIN is out-of-order news too
    }

    private void onFinReceived() {
        Log.verbose("tcp %s: child finished sending", key);
        switch (state) {
            case ESTABLISHED -> state = TcpState.CLOSE_WAIT;
            case FIN_WAIT_1 -> state = TcpState.CLOSING;
            case FIN_WAIT_2 -> enterTimeWait();
            default -> { }
        }
    }

    // ---------------------------------------------------------------- segments to the child

    /** Sends whatever the peer's window (and the congestion window after a loss) allows, then the FIN. */
    private void transmit() {
        if (!state.sendsData()) {
            return;
        }
        while (true) {
            int offset = sndNxt - sndUna;
            int queued = sendQueue.size();
            if (offset > queued) {
                break; // The FIN is already out.
            }
            int usable = Math.min(sndWnd, congestionWindow) - offset;
            int length = Math.max(0, Math.min(Math.min(queued - offset, sendMss), usable));
            boolean fin = finQueued && offset + length == queued;
            if (length == 0 && !fin || corked && length < sendMss && !fin) {
                break;
            }
            boolean last = offset + length == queued;
            int flags = TcpFlags.ACK | (length > 0 && last ? TcpFlags.PSH : 0) | (fin ? TcpFlags.FIN : 0);
            if (length > 0 && !timing && sndNxt == sndMax) {
                startTiming(sndNxt + length);
            }
            sendSegment(sndNxt, flags, offset, length);
            sndNxt += length + (fin ? 1 : 0);
            if (after(sndNxt, sndMax)) {
                sndMax = sndNxt;
            }
            if (deadlineKind != Deadline.RETRANSMIT) {
                setDeadline(Deadline.RETRANSMIT, now() + rtt.timeout());
            }
            if (fin) {
                break;
            }
        }
        if (sndWnd == 0 && sndUna == sndMax && sendQueue.size() > 0 && deadlineKind == Deadline.NONE) {
            probeInterval = rtt.timeout();
            setDeadline(Deadline.ZERO_WINDOW_PROBE, now() + probeInterval);
        }
    }

    /** Resends the first unacknowledged segment (and the FIN if it fits); returns the sequence space sent. */
    private int retransmitHead() {
        int outstanding = sndMax - sndUna;
        int queued = sendQueue.size();
        int length = Math.min(Math.min(outstanding, queued), sendMss);
        boolean fin = finQueued && length == queued && outstanding > queued;
        int flags = TcpFlags.ACK | (length > 0 ? TcpFlags.PSH : 0) | (fin ? TcpFlags.FIN : 0);
        sendSegment(sndUna, flags, 0, length);
        return length + (fin ? 1 : 0);
    }

    private void fastRetransmit() {
        Log.verbose("tcp %s: fast retransmit at %s", key, SeqNum.toString(sndUna));
        timing = false;
        inRecovery = true;
        recoveryPoint = sndMax;
        retransmitHead();
    }

    private void sendAck() {
        if (state != TcpState.SYN_RECEIVED && state != TcpState.CLOSED) {
            sendSegment(sndNxt, TcpFlags.ACK, 0, 0);
        }
    }

    private void sendSegment(int seq, int flags, int dataOffset, int dataLength) {
        TcpOptions options = timestamps ? TcpOptions.timestamps(timestampNow(), tsRecent) : TcpOptions.NONE;
        int window = receiveWindow.advertise(rcvNxt, receiveQueue.readable(), receiveAccount.limit());
        chargeReceived();
        TcpHeader header = new TcpHeader(key.serverPort(), key.clientPort(), seq, rcvNxt, flags, window, options);
        layer.writer().sendTcp(key.server(), key.client(), header, sendQueue, dataOffset, dataLength);
        unacknowledgedBytes = 0;
        ackAt = NEVER;
    }

    // ---------------------------------------------------------------- timers

    private void onTimer(long now) {
        if (ackAt <= now) {
            ackAt = NEVER;
            sendAck();
        }
        if (deadlineAt <= now) {
            Deadline expired = deadlineKind;
            clearDeadline();
            switch (expired) {
                case RETRANSMIT -> onRetransmitTimeout();
                case ZERO_WINDOW_PROBE -> sendZeroWindowProbe();
                case TIME_WAIT_EXPIRY -> {
                    closedPending = true;
                    close();
                }
                case FIN_WAIT_2_EXPIRY -> giveUp("child silent in FIN-WAIT-2");
                case NONE -> { }
            }
        }
        if (releaseAt <= now) {
            releaseAt = NEVER;
            receiveQueue.releaseIfEmpty();
            sendQueue.releaseIfEmpty();
        }
        if (eventsAt <= now) {
            eventsAt = NEVER;
        }
        reschedule();
        deliverEvents();
    }

    private void onRetransmitTimeout() {
        int limit = state == TcpState.SYN_RECEIVED ? MAX_SYN_ACK_RETRANSMISSIONS : MAX_RETRANSMISSIONS;
        if (++retransmissions > limit) {
            giveUp("child stopped answering");
            return;
        }
        rtt.backOff();
        timing = false;
        if (state == TcpState.SYN_RECEIVED) {
            sendSynAck();
            return;
        }
        Log.verbose("tcp %s: retransmission timeout #%d at %s", key, retransmissions, SeqNum.toString(sndUna));
        duplicateAcks = 0;
        inRecovery = false;
        congestionWindow = sendMss; // Slow start again: the rest follows as ACKs return (go-back-N).
        sndNxt = sndUna + retransmitHead();
        setDeadline(Deadline.RETRANSMIT, now() + rtt.timeout());
    }

    /** Resets the child and tells the forwarder the connection is gone. */
    private void giveUp(String why) {
        Log.verbose("tcp %s: %s, giving up", key, why);
        layer.sendReset(key, sndMax, rcvNxt, TcpFlags.RST | TcpFlags.ACK);
        readablePending = writablePending = closedPending = false;
        resetPending = true;
        close();
    }

    /** Linux's probe: an ACK one below SND.UNA, which the child must answer with its current window. */
    private void sendZeroWindowProbe() {
        sendSegment(sndUna - 1, TcpFlags.ACK, 0, 0);
        probeInterval = Math.min(probeInterval * 2, MAX_PROBE_INTERVAL_NANOS);
        setDeadline(Deadline.ZERO_WINDOW_PROBE, now() + probeInterval);
    }

    private void enterTimeWait() {
        state = TcpState.TIME_WAIT;
        setDeadline(Deadline.TIME_WAIT_EXPIRY, now() + TIME_WAIT_NANOS);
    }

    private void startTiming(int sequence) {
        timing = true;
        timedSequence = sequence;
        timedAt = now();
    }

    /** Arms the release of emptied buffers, unless already armed (so a busy connection rarely touches it). */
    private void scheduleRelease() {
        if (releaseAt == NEVER && state != TcpState.CLOSED) {
            releaseAt = now() + IDLE_RELEASE_NANOS;
            reschedule();
        }
    }

    private void setDeadline(Deadline kind, long at) {
        deadlineKind = kind;
        deadlineAt = at;
    }

    private void clearDeadline() {
        deadlineKind = Deadline.NONE;
        deadlineAt = NEVER;
    }

    private void reschedule() {
        long next = Math.min(Math.min(deadlineAt, ackAt), Math.min(releaseAt, eventsAt));
        if (state == TcpState.CLOSED) {
            next = eventsAt;
        }
        layer.timers().schedule(timer, next);
    }

    private long now() {
        return layer.clock().nanoTime();
    }

    private int timestampNow() {
        return (int) (now() / 1_000_000L) + timestampOffset;
    }

    // ---------------------------------------------------------------- lifecycle and events

    /** Leaves the connection table; the queues stay readable for the forwarder. */
    private void close() {
        state = TcpState.CLOSED;
        receiveAccount.hold(0);
        sendAccount.hold(0);
        clearDeadline();
        ackAt = NEVER;
        releaseAt = NEVER;
        layer.timers().cancel(timer);
        layer.release(this);
    }

    /** Calls the listener for what happened since the last delivery. */
    void deliverEvents() {
        if (resetPending) {
            resetPending = false;
            listener.onReset(this);
            return;
        }
        if (readablePending) {
            readablePending = false;
            listener.onReadable(this);
        }
        if (writablePending && acceptsWrites()) {
            writablePending = false;
            listener.onWritable(this);
        }
        if (closedPending) {
            closedPending = false;
            listener.onClosed(this);
        }
    }

    @Override
    public String toString() {
        return key + " " + state;
    }
}
